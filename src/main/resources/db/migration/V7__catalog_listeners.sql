-- The api nodes that answer budget lookups from memory without reading model_catalog_version each time (issue 15,
-- serving at the limit). Each such node LISTENs on the channel prenas_catalog, which every bump of the version
-- NOTIFYs, and records here the newest version it has taken in; seen_at is renewed every second and is the node's
-- lease. A change returns to its caller only once every node with a live lease has taken it in (acked_version at
-- least the new version), so no node answers from a stale index; a node that cannot renew its lease reads the
-- version on every lookup again before the lease runs out.
CREATE TABLE catalog_listeners (
    node_id       TEXT        PRIMARY KEY,
    acked_version BIGINT      NOT NULL,
    seen_at       TIMESTAMPTZ NOT NULL
);
