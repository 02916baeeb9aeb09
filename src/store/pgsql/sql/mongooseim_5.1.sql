-- MongooseIM 5.1's PostgreSQL schema for the tables mongooseimctl reads and writes, written
-- for mongooseimctl from the table descriptions in spec/store.md (types, keys and indexes as
-- MongooseIM 5.1 declares them). Loaded by `mongooseimctl init_schema` into an empty database
-- for a new deployment; a database MongooseIM already uses is never altered.

CREATE TABLE users (
    username varchar(250) NOT NULL,
    server varchar(250) NOT NULL,
    "password" text NOT NULL,
    pass_details text,
    created_at timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (server, username)
);

CREATE TABLE last (
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    seconds integer NOT NULL,
    state text NOT NULL,
    PRIMARY KEY (server, username)
);
CREATE INDEX i_last_server_seconds ON last USING btree (server, seconds);

CREATE TABLE rosterusers (
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    jid text NOT NULL,
    nick text NOT NULL,
    subscription character(1) NOT NULL,
    ask character(1) NOT NULL,
    askmessage text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX i_rosteru_server_user_jid ON rosterusers USING btree (server, username, jid);
CREATE INDEX i_rosteru_server_user ON rosterusers USING btree (server, username);
CREATE INDEX i_rosteru_jid ON rosterusers USING btree (jid);

CREATE TABLE rostergroups (
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    jid text NOT NULL,
    grp text NOT NULL
);
CREATE INDEX i_rosterg_server_user_jid ON rostergroups USING btree (server, username, jid);

CREATE TABLE roster_version (
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    version text NOT NULL,
    PRIMARY KEY (server, username)
);

CREATE TABLE vcard (
    username varchar(150) NOT NULL,
    server varchar(100) NOT NULL,
    vcard text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (server, username)
);

CREATE TABLE vcard_search (
    username varchar(150) NOT NULL,
    lusername varchar(100) NOT NULL,
    server varchar(250) NOT NULL,
    fn text NOT NULL,
    lfn text NOT NULL,
    family text NOT NULL,
    lfamily text NOT NULL,
    given text NOT NULL,
    lgiven text NOT NULL,
    middle text NOT NULL,
    lmiddle text NOT NULL,
    nickname text NOT NULL,
    lnickname text NOT NULL,
    bday text NOT NULL,
    lbday text NOT NULL,
    ctry text NOT NULL,
    lctry text NOT NULL,
    locality text NOT NULL,
    llocality text NOT NULL,
    email text NOT NULL,
    lemail text NOT NULL,
    orgname text NOT NULL,
    lorgname text NOT NULL,
    orgunit text NOT NULL,
    lorgunit text NOT NULL,
    PRIMARY KEY (server, lusername)
);
CREATE INDEX i_vcard_search_lfn ON vcard_search (lfn);
CREATE INDEX i_vcard_search_lfamily ON vcard_search (lfamily);
CREATE INDEX i_vcard_search_lgiven ON vcard_search (lgiven);
CREATE INDEX i_vcard_search_lmiddle ON vcard_search (lmiddle);
CREATE INDEX i_vcard_search_lnickname ON vcard_search (lnickname);
CREATE INDEX i_vcard_search_lbday ON vcard_search (lbday);
CREATE INDEX i_vcard_search_lctry ON vcard_search (lctry);
CREATE INDEX i_vcard_search_llocality ON vcard_search (llocality);
CREATE INDEX i_vcard_search_lemail ON vcard_search (lemail);
CREATE INDEX i_vcard_search_lorgname ON vcard_search (lorgname);
CREATE INDEX i_vcard_search_lorgunit ON vcard_search (lorgunit);

CREATE TABLE private_storage (
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    namespace varchar(250) NOT NULL,
    data text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (server, username, namespace)
);

CREATE TABLE offline_message (
    id SERIAL PRIMARY KEY,
    timestamp bigint NOT NULL,
    expire bigint,
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    from_jid varchar(250) NOT NULL,
    packet text NOT NULL,
    permanent_fields bytea
);
CREATE INDEX i_offline_message ON offline_message USING btree (server, username, id);

CREATE TABLE inbox (
    luser varchar(250) NOT NULL,
    lserver varchar(250) NOT NULL,
    remote_bare_jid varchar(250) NOT NULL,
    msg_id varchar(250),
    box varchar(64) NOT NULL DEFAULT 'inbox',
    content bytea NOT NULL,
    timestamp bigint NOT NULL,
    muted_until bigint DEFAULT 0,
    unread_count int NOT NULL,
    PRIMARY KEY (lserver, luser, remote_bare_jid)
);
CREATE INDEX i_inbox_timestamp ON inbox USING btree (lserver, luser, timestamp);
CREATE INDEX i_inbox_us_box ON inbox USING btree (lserver, luser, box);
CREATE INDEX i_inbox_box ON inbox (box) WHERE (box = 'bin');

CREATE TABLE auth_token (
    owner text NOT NULL PRIMARY KEY,
    seq_no bigint NOT NULL
);

CREATE TABLE domain_settings (
    id BIGSERIAL NOT NULL UNIQUE,
    domain varchar(250) NOT NULL,
    host_type varchar(250) NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    PRIMARY KEY (domain)
);

CREATE TABLE domain_events (
    id BIGSERIAL NOT NULL,
    domain varchar(250) NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX i_domain_events_domain ON domain_events (domain);

CREATE TABLE mongoose_cluster_id (
    k varchar(50) PRIMARY KEY,
    v text
);
