"""The Slack channel: a slack-bolt (async) app mounted in the service at /slack/*.

It turns the engine's event stream into threaded Slack messages. Which tenant a workspace (or one
of its channels) sees is decided only by an admin's link, never by anything in a Slack payload.
"""
