"""Brief jobs: durable, asynchronous briefs of one or many articles (`POST /v1/jobs`)."""
