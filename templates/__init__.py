"""The Jinja templates clientgen renders; a package only so that it installs with the generator."""
