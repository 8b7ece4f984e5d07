// The reader's entry point.
