"""The web chat (Gradio): the app, its state, document uploads, HTML rendering, interface strings and assets."""
