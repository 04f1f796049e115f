"""Planning: turning a question (and the conversation so far) into a plan."""
