//! Whole XML documents (XEP-0227 files) read and written with quick-xml, into and from the
//! [`Element`] tree the rest of the code uses.
//!
//! The stanza-level parser ([`crate::compat::xml`]) mirrors exml, because MongooseIM stores
//! exml's serialisation of vCards, private elements and offline messages, and we must read
//! and write those values byte for byte as it does. A portability file is a different thing:
//! a whole document written by another server (ejabberd, Prosody) with an XML declaration,
//! comments, processing instructions, CDATA sections and character references anywhere. It is
//! read by a general XML parser: well-formedness (matching end tags, one root, no duplicate
//! attributes, no text outside the root) is checked by quick-xml, and nothing is expanded
//! beyond the five predefined entities and character references (no DTD entities: a document
//! that uses one is refused, so no external or recursive entity is ever resolved).

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use crate::compat::xml::{Element, Node};

/// The deepest nesting a document may have: the stanza parser's limit for the values, plus
/// the few levels of the document around them (server-data, host, user, query, …). Deeper
/// is refused, so no tree is deep enough to exhaust the stack when it is walked or dropped.
pub const MAX_DEPTH: usize = crate::compat::xml::MAX_DEPTH + 16;

/// Read `text` as one XML document: its root element, names kept with their prefixes,
/// attribute values and text decoded, comments, processing instructions and the DOCTYPE
/// dropped. The error is one line naming the position.
pub fn read(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut scopes: Vec<Scope> = Vec::new();
    let mut root: Option<Element> = None;
    let at = |r: &Reader<&[u8]>| r.buffer_position();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (at byte {})", at(&reader)))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "element nesting deeper than {MAX_DEPTH} (at byte {})",
                        at(&reader)
                    ));
                }
                let (el, scope) = element(&start, scopes.last())?;
                stack.push(el);
                scopes.push(scope);
            }
            Event::Empty(start) => {
                let (el, _) = element(&start, scopes.last())?;
                close(el, &mut stack, &mut root, at(&reader))?;
            }
            Event::End(_) => {
                scopes.pop();
                let el = stack.pop().ok_or_else(|| {
                    format!("an end tag without a start (at byte {})", at(&reader))
                })?;
                close(el, &mut stack, &mut root, at(&reader))?;
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| e.to_string())?;
                text_node(&mut stack, &s, at(&reader))?;
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| e.to_string())?;
                text_node(&mut stack, &s, at(&reader))?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| e.to_string())?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| {
                                format!(
                                    "unknown entity &{name}; (at byte {}): only the five XML \
                                     entities and character references are accepted",
                                    at(&reader)
                                )
                            })?
                            .to_string()
                    }
                };
                text_node(&mut stack, &resolved, at(&reader))?;
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("the element <{}> is not closed", open.name));
    }
    root.ok_or_else(|| "no root element".to_string())
}

/// The namespaces in scope inside an element: the prefixes bound so far, the default
/// namespace (for unprefixed names), and the element's own namespace (which our tree writes
/// as the default for its children).
#[derive(Debug, Clone, Default)]
struct Scope {
    prefixes: Vec<(String, String)>,
    default: String,
    own: String,
}

/// An element from a start tag, with its decoded attributes (duplicates refused) and the
/// scope it opens. Namespaces are resolved: a prefixed element (`<pie:user>`) becomes its
/// local name with its namespace as `xmlns` (what the rest of the code reads), and any
/// element whose namespace differs from its parent's gets an `xmlns`; `xmlns:p`
/// declarations stay as attributes, so that a stored element keeps the bindings its
/// prefixed attributes need.
fn element(start: &BytesStart<'_>, parent: Option<&Scope>) -> Result<(Element, Scope), String> {
    let name = std::str::from_utf8(start.name().as_ref())
        .map_err(|e| e.to_string())?
        .to_string();
    let mut scope = parent.cloned().unwrap_or_default();
    let parent_own = scope.own.clone();
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| format!("in <{name}>: {e}"))?;
        let key = std::str::from_utf8(attr.key.as_ref())
            .map_err(|e| e.to_string())?
            .to_string();
        let value = attr
            .unescape_value()
            .map_err(|e| format!("in <{name}> attribute {key}: {e}"))?
            .into_owned();
        if key == "xmlns" {
            scope.default = value.clone();
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            scope.prefixes.retain(|(p, _)| p != prefix);
            scope.prefixes.push((prefix.to_string(), value.clone()));
        }
        attrs.push((key, value));
    }
    let (local, ns) = match name.split_once(':') {
        Some((prefix, local)) => {
            let uri = scope
                .prefixes
                .iter()
                .find(|(p, _)| p == prefix)
                .map(|(_, u)| u.clone())
                .ok_or_else(|| format!("the prefix {prefix}: of <{name}> is not declared"))?;
            (local.to_string(), uri)
        }
        None => (name.clone(), scope.default.clone()),
    };
    let mut el = Element::new(&local);
    // An unprefixed element with an explicit `xmlns` keeps it where it was written. Other
    // elements get their namespace first where it differs from their parent's; a prefixed
    // element's own `xmlns` (a default for its children only) is dropped, its unprefixed
    // children then carry theirs.
    if name.contains(':') {
        attrs.retain(|(k, _)| k != "xmlns");
    }
    if ns != parent_own && !attrs.iter().any(|(k, _)| k == "xmlns") {
        el.attrs.push(("xmlns".to_string(), ns.clone()));
    }
    el.attrs.extend(attrs);
    scope.own = ns;
    Ok((el, scope))
}

/// A finished element: a child of the open one, or the root.
fn close(
    el: Element,
    stack: &mut [Element],
    root: &mut Option<Element>,
    pos: u64,
) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(el)),
        None if root.is_none() => *root = Some(el),
        None => {
            return Err(format!(
                "a second root element <{}> (at byte {pos})",
                el.name
            ))
        }
    }
    Ok(())
}

/// Character data: appended to the open element (merged with a text node just before it);
/// outside the root only whitespace is allowed.
fn text_node(stack: &mut [Element], s: &str, pos: u64) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(s);
            } else if !s.is_empty() {
                parent.children.push(Node::Text(s.to_string()));
            }
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err(format!("text outside the root element (at byte {pos})")),
    }
}

/// Write `root` as a UTF-8 document: the XML declaration, the tree as given (no indentation
/// is added: text nodes are content), a final newline.
pub fn write(root: &Element) -> Result<String, String> {
    let mut w = Writer::new(Vec::new());
    let io = |e: std::io::Error| e.to_string();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    w.write_event(Event::Text(BytesText::from_escaped("\n")))
        .map_err(io)?;
    write_element(&mut w, root).map_err(io)?;
    w.write_event(Event::Text(BytesText::from_escaped("\n")))
        .map_err(io)?;
    String::from_utf8(w.into_inner()).map_err(|e| e.to_string())
}

fn write_element(w: &mut Writer<Vec<u8>>, el: &Element) -> std::io::Result<()> {
    let mut start = BytesStart::new(el.name.as_str());
    for (k, v) in &el.attrs {
        start.push_attribute((k.as_str(), v.as_str()));
    }
    if el.children.is_empty() {
        return w.write_event(Event::Empty(start));
    }
    w.write_event(Event::Start(start))?;
    for child in &el.children {
        match child {
            Node::Element(c) => write_element(w, c)?,
            Node::Text(t) => w.write_event(Event::Text(BytesText::new(t)))?,
        }
    }
    w.write_event(Event::End(BytesEnd::new(el.name.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_document_with_the_usual_extras() {
        let doc = "<?xml version='1.0' encoding='UTF-8'?>\n<!-- made by hand -->\n\
                   <server-data xmlns='urn:xmpp:pie:0' xmlns:xi='http://www.w3.org/2001/XInclude'>\
                   <?pi data?><xi:include href='a.xml'/><host jid='h'><user name='a&amp;b'>\
                   x &lt; y &#x263A;<![CDATA[<raw>&]]></user></host></server-data>\n";
        let root = read(doc).unwrap();
        assert_eq!(root.name, "server-data");
        assert_eq!(
            root.attr("xmlns:xi"),
            Some("http://www.w3.org/2001/XInclude")
        );
        let include = root.children.iter().find_map(|n| match n {
            Node::Element(e) if e.name == "include" => Some(e),
            _ => None,
        });
        assert_eq!(include.and_then(|e| e.attr("href")), Some("a.xml"));
        let host = root.first_child("host").unwrap();
        let user = host.first_child("user").unwrap();
        assert_eq!(user.attr("name"), Some("a&b"));
        assert_eq!(
            user.children,
            vec![Node::Text("x < y \u{263A}<raw>&".into())]
        );
    }

    #[test]
    fn refuses_what_is_not_well_formed_or_needs_a_dtd() {
        for bad in [
            "<a><b></a>",
            "<a>",
            "<a x='1' x='2'/>",
            "<a/><b/>",
            "text<a/>",
            "<a>&custom;</a>",
            "<p:a/>",
            "",
        ] {
            assert!(read(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn prefixed_names_are_resolved_to_namespaces() {
        let root = read(
            "<p:host xmlns:p='urn:xmpp:pie:0' jid='h'><p:user name='a'><v:vCard \
             xmlns:v='vcard-temp'><FN>A</FN></v:vCard></p:user><x xmlns='other'/></p:host>",
        )
        .unwrap();
        assert_eq!(root.name, "host");
        assert_eq!(root.attr("xmlns"), Some("urn:xmpp:pie:0"));
        let user = root.first_child("user").unwrap();
        assert_eq!(user.attr("xmlns"), None, "same namespace as its parent");
        let vcard = user.first_child("vCard").unwrap();
        assert_eq!(vcard.attr("xmlns"), Some("vcard-temp"));
        // Unprefixed under a prefixed element: the default namespace (pie's none here).
        assert_eq!(vcard.first_child("FN").unwrap().attr("xmlns"), Some(""));
        assert_eq!(root.first_child("x").unwrap().attr("xmlns"), Some("other"));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
        assert!(read(&deep(MAX_DEPTH)).is_ok());
        let e = read(&deep(MAX_DEPTH + 1)).unwrap_err();
        assert!(e.contains("nesting deeper than"), "{e}");
    }

    #[test]
    fn writes_what_it_reads() {
        let mut el = Element::new("host").with_attr("jid", "a'b\"<c>&");
        el.children.push(Node::Text("1 < 2 & \"q\"".into()));
        el = el.with_child(Element::new("user").with_attr("name", "é"));
        let text = write(&el).unwrap();
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<host "));
        assert!(text.ends_with("</host>\n"));
        assert_eq!(read(&text).unwrap(), el);
    }
}
