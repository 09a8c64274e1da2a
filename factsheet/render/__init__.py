"""Document -> PDF bytes."""
