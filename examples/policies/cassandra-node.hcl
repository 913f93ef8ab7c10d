# A Cassandra node's certificate daemon (vaultsmith cert watch): issue its node and client
# certificates from the intermediate, read the CA chain, nothing else under pki/.
path "pki/issue/server-cert" {
  capabilities = ["create", "update"]
}

path "pki/issue/client-cert" {
  capabilities = ["create", "update"]
}

path "pki/ca_chain" {
  capabilities = ["read"]
}
