"""What every HTTP channel shares on the one FastAPI app: authentication, request dependencies,
errors as HTTP responses, and the middleware (CORS per tenant, body limit, request log, tracing)."""
