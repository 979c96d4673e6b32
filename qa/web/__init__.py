"""The web chat (Gradio): the app, its layout and event handlers, state, document uploads, HTML rendering,
interface strings, CSS and page script."""
