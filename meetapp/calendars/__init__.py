"""Calendar provider adapters: one Protocol, one module per provider."""
