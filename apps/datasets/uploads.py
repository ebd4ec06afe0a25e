"""Uploads stream to a temporary file on disk, and stop at the size limit."""

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat


def upload_limit_message() -> str:
    return f"The file is larger than the upload limit of {filesizeformat(settings.UPLOAD_MAX_BYTES)}."


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Never holds an upload in memory; a body over UPLOAD_MAX_BYTES is read and thrown away
    (so the client gets an answer instead of a reset connection) and the request is flagged."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            self.request.upload_too_large = True

    def new_file(self, *args, **kwargs):
        if getattr(self.request, "upload_too_large", False):
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)
