"""The benchmark suite: newapi against LiteLLM's proxy on one machine (see bench/README.md)."""
