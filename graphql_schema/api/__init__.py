"""Root fields, one module per area; `graphql_schema.schema` merges them."""
