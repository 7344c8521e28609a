"""The op library: one module per family of ops, each op's forward and gradient rule together."""
