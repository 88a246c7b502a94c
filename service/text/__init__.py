"""Reading an article: sanitising, sentences, people, places, countries, dates, quotes,
topics, HTML extraction, language detection. Knows nothing of HTTP or engines."""
