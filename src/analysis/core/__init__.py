"""The foundation every other part stands on: where the project's folders are
(`paths`), the errors a user sees (`errors`), writing a file so that an interrupted
run leaves nothing half-written (`atomic`), and text from data made safe for a page
(`html`). Nothing here imports any other part of the library."""
