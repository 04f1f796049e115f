"""What the digest deliveries share, below the channels that carry them (email in
`channels/digests`, Slack in `channels/slack`): subscriptions and their schedules, which Slack
channels a tenant may post to, what a digest shows, and the delivery errors."""
