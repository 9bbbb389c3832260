"""Static files: hashed, compressed names with a long cache once collected."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class Storage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # untyped base
    """WhiteNoise's compressed manifest storage, with plain names before collectstatic.

    `mend serve` collects the files at every start, so pages link to hashed names that
    browsers keep for a year and never revalidate (#12). Before any collectstatic
    (the test suite in process) pages link to the plain names, which WhiteNoise serves
    from the app folders with a short cache.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))
