"""Security adapters: argon2 hashing, JWT signing, AES-GCM secrets, rate limits."""
