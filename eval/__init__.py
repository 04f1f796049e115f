"""Evaluation harness: golden questions, executed gold SQL as the oracle, execution accuracy.

It drives the assistant only through what a user has (the public Python API and the CLI), so a
score here is a score of the product, not of one internal stage.
"""
