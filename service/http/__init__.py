"""HTTP: the app factory and lifespan, routes, request parsing, middleware, error mapping,
admission control, metrics and logs. Knows nothing of torch, spaCy or how an engine works."""
