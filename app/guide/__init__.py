"""The public screens before sign-in: the service guide and the self-check."""
