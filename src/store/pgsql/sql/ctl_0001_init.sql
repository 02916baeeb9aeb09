-- mongooseimctl's own tables on PostgreSQL, version 1 (the SQLite store's 0001 + 0002
-- counterparts). MongooseIM's tables are never created or altered by a migration.

-- Sessions recorded by `open_session` (a CLI has no live c2s processes; DESIGN.md §2).
CREATE TABLE mongooseimctl_sessions (
    username varchar(250) NOT NULL,
    server varchar(250) NOT NULL,
    resource varchar(1023) NOT NULL,
    opened_at bigint NOT NULL,           -- µs since the Unix epoch
    seq bigserial NOT NULL,              -- store order (a replaced session moves to the end)
    priority integer,                    -- NULL = undefined (no presence yet)
    show text NOT NULL DEFAULT 'unavailable',
    status text NOT NULL DEFAULT '',
    connection text NOT NULL DEFAULT 'c2s',
    ip text NOT NULL DEFAULT '127.0.0.1',
    port integer NOT NULL DEFAULT 0,
    node text NOT NULL,
    PRIMARY KEY (server, username, resource)
);
CREATE INDEX i_mongooseimctl_sessions_show ON mongooseimctl_sessions (show, server);

-- Stanzas delivered to a recorded session.
CREATE TABLE mongooseimctl_delivered (
    id bigserial PRIMARY KEY,
    server varchar(250) NOT NULL,
    username varchar(250) NOT NULL,
    resource varchar(1023) NOT NULL,
    from_jid text NOT NULL,
    packet text NOT NULL,
    delivered_at bigint NOT NULL         -- µs
);
CREATE INDEX i_mongooseimctl_delivered ON mongooseimctl_delivered (server, username, resource);

-- Key/value state of the tool and its services (store creation time, cleaner runs, ...).
CREATE TABLE mongooseimctl_state (
    k text NOT NULL PRIMARY KEY,
    v text NOT NULL
);
