-- mongooseimctl store: the roster index of MongooseIM's schema (issue 9, GDPR export).
-- `i_rosteru_server_user (server, username)` is in MongooseIM's pg.sql (store.md §2.3); with
-- the rowid SQLite appends to every index, it yields one owner's items in store order
-- without sorting them, so an export (or any listing) of a large roster needs no memory that
-- grows with it.
CREATE INDEX IF NOT EXISTS i_rosteru_server_user ON rosterusers (server, username);
