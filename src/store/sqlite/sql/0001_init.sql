-- mongooseimctl store, schema version 1.
-- Tables and columns mirror MongooseIM 5.1's RDBMS schema (priv/pg.sql) so that the same rows
-- can live in a real MongooseIM database; our own tables carry the mongooseimctl_ prefix.

CREATE TABLE users (
    username TEXT NOT NULL,
    server TEXT NOT NULL,
    "password" TEXT NOT NULL,
    pass_details TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (server, username)
);

CREATE TABLE last (
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (server, username)
);
CREATE INDEX i_last_server_seconds ON last (server, seconds);

CREATE TABLE rosterusers (
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    jid TEXT NOT NULL,
    nick TEXT NOT NULL,
    subscription TEXT NOT NULL,
    ask TEXT NOT NULL,
    askmessage TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX i_rosteru_server_user_jid ON rosterusers (server, username, jid);
CREATE INDEX i_rosteru_jid ON rosterusers (jid);

CREATE TABLE rostergroups (
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    jid TEXT NOT NULL,
    grp TEXT NOT NULL
);
CREATE INDEX i_rosterg_server_user_jid ON rostergroups (server, username, jid);

CREATE TABLE roster_version (
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (server, username)
);

CREATE TABLE vcard (
    username TEXT NOT NULL,
    server TEXT NOT NULL,
    vcard TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (server, username)
);

CREATE TABLE vcard_search (
    username TEXT NOT NULL,
    lusername TEXT NOT NULL,
    server TEXT NOT NULL,
    fn TEXT NOT NULL,
    lfn TEXT NOT NULL,
    family TEXT NOT NULL,
    lfamily TEXT NOT NULL,
    given TEXT NOT NULL,
    lgiven TEXT NOT NULL,
    middle TEXT NOT NULL,
    lmiddle TEXT NOT NULL,
    nickname TEXT NOT NULL,
    lnickname TEXT NOT NULL,
    bday TEXT NOT NULL,
    lbday TEXT NOT NULL,
    ctry TEXT NOT NULL,
    lctry TEXT NOT NULL,
    locality TEXT NOT NULL,
    llocality TEXT NOT NULL,
    email TEXT NOT NULL,
    lemail TEXT NOT NULL,
    orgname TEXT NOT NULL,
    lorgname TEXT NOT NULL,
    orgunit TEXT NOT NULL,
    lorgunit TEXT NOT NULL,
    PRIMARY KEY (server, lusername)
);
CREATE INDEX i_vcard_search_lfn ON vcard_search (lfn);
CREATE INDEX i_vcard_search_lnickname ON vcard_search (lnickname);
CREATE INDEX i_vcard_search_lemail ON vcard_search (lemail);

CREATE TABLE private_storage (
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    namespace TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (server, username, namespace)
);

CREATE TABLE offline_message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    expire INTEGER,
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    from_jid TEXT NOT NULL,
    packet TEXT NOT NULL,
    permanent_fields BLOB
);
CREATE INDEX i_offline_message ON offline_message (server, username, id);

CREATE TABLE inbox (
    luser TEXT NOT NULL,
    lserver TEXT NOT NULL,
    remote_bare_jid TEXT NOT NULL,
    msg_id TEXT,
    box TEXT NOT NULL DEFAULT 'inbox',
    content BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    muted_until INTEGER DEFAULT 0,
    unread_count INTEGER NOT NULL,
    PRIMARY KEY (lserver, luser, remote_bare_jid)
);
CREATE INDEX i_inbox_timestamp ON inbox (lserver, luser, timestamp);
CREATE INDEX i_inbox_box ON inbox (lserver, luser, box);

CREATE TABLE auth_token (
    owner TEXT NOT NULL PRIMARY KEY,
    seq_no INTEGER NOT NULL
);

CREATE TABLE domain_settings (
    id INTEGER NOT NULL UNIQUE,
    domain TEXT NOT NULL PRIMARY KEY,
    host_type TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE domain_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    domain TEXT NOT NULL
);
CREATE INDEX i_domain_events_domain ON domain_events (domain);

CREATE TABLE mongoose_cluster_id (
    k TEXT NOT NULL PRIMARY KEY,
    v TEXT
);

-- Our own tables.

-- Sessions recorded by `open_session` (a CLI has no live c2s processes; DESIGN.md §2).
CREATE TABLE mongooseimctl_sessions (
    username TEXT NOT NULL,
    server TEXT NOT NULL,
    resource TEXT NOT NULL,
    opened_at INTEGER NOT NULL,          -- µs since the Unix epoch
    priority INTEGER,                    -- NULL = undefined (no presence yet)
    show TEXT NOT NULL DEFAULT 'unavailable',
    status TEXT NOT NULL DEFAULT '',
    connection TEXT NOT NULL DEFAULT 'c2s',
    ip TEXT NOT NULL DEFAULT '127.0.0.1',
    port INTEGER NOT NULL DEFAULT 0,
    node TEXT NOT NULL,
    PRIMARY KEY (server, username, resource)
);

-- Stanzas delivered to a recorded session.
CREATE TABLE mongooseimctl_delivered (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    server TEXT NOT NULL,
    username TEXT NOT NULL,
    resource TEXT NOT NULL,
    from_jid TEXT NOT NULL,
    packet TEXT NOT NULL,
    delivered_at INTEGER NOT NULL        -- µs
);
CREATE INDEX i_mongooseimctl_delivered ON mongooseimctl_delivered (server, username, resource);

-- Key/value state of the tool and its services (store creation time, cleaner runs, ...).
CREATE TABLE mongooseimctl_state (
    k TEXT NOT NULL PRIMARY KEY,
    v TEXT NOT NULL
);
