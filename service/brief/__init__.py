"""Making a brief: plan the model calls, generate and parse drafts, ground them in the
article, write the headline and summary, translate, render. Sits between HTTP and engines."""
