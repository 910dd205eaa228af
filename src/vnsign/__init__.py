"""vnsign: verify digitally signed Vietnamese official documents."""
