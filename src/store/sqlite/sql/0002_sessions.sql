-- mongooseimctl store, schema version 2: live state (issue 8).
-- Counting and listing sessions by presence (status_num, status_list) without a table scan.
CREATE INDEX i_mongooseimctl_sessions_show ON mongooseimctl_sessions (show, server);
