"""Voila set-up of our own: the offline page template (data/) and the kernel manager."""
