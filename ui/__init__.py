"""The Gradio UI over the public assistant API: chat, tools, learn (lessons, practice), sources."""
