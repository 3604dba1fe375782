"""Path converters shared by every app's URLs."""

from django.urls import register_converter


class YearLabelConverter:
    """A financial year as in the URLs people share: 2014-15."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearLabelConverter, "year")
