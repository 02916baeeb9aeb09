//! Compatibility libraries: each reproduces one behaviour of MongooseIM 5.1 (or the Erlang
//! libraries it runs on) that our commands must match byte for byte. None of them knows about
//! commands, the store or output.

/// CSV records as erl_csv 0.2.0 writes them (the GDPR export's files).
pub mod erl_csv;
/// Erlang terms: parsing (roster templates) and `~p` printing.
pub mod erlang;
/// JIDs: jid:make/3, nodeprep, nameprep, resourceprep.
pub mod jid;
/// PCRE 8.45 as Erlang's `re` runs it: pattern validation (error texts and offsets) and
/// matching with PCRE2.
pub mod pcre;
/// The `process_rosteritems` filter language (subscriptions, asks, JID patterns).
pub mod roster_filter;
/// SCRAM and plain password serialisation (MongooseIM's pass_details format).
pub mod scram;
/// AWS SigV4 query presigning and mod_http_upload_s3's upload slots (http_upload).
pub mod sigv4;
/// vCard (XEP-0054) rewriting for set_vcard / set_vcard2.
pub mod vcard;
pub mod xep0227;
/// exml-compatible XML parsing and serialisation.
pub mod xml;
/// Whole XML documents (XEP-0227 files) read and written with quick-xml.
pub mod xml_doc;
