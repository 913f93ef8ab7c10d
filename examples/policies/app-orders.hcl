# The orders service: its own KV v2 secrets and the shared Cassandra credentials, read-only.
path "secret/data/orders/*" {
  capabilities = ["create", "read", "update", "delete"]
}

path "secret/metadata/orders/*" {
  capabilities = ["read", "list"]
}

path "secret/data/cassandra/prod/credentials" {
  capabilities = ["read"]
}
