"""The workspace's HTTP layer: server-rendered pages (no JavaScript), forms with CSRF tokens, sessions in a
`__Host-` cookie, Dutch and English. Served on casework's own internal address, never on the public one."""
