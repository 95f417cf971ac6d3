from apps.core.changelog import change_logging


class ChangeLoggingMiddleware:
    """Attributes every change made while serving a request to its user and request id.

    The user is read when the change happens, so API token authentication (which sets the user
    inside the endpoint) is attributed too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with change_logging(request=request) as ctx:
            request.id = ctx.request_id
            response = self.get_response(request)
        response["X-Request-ID"] = str(request.id)
        return response


class VietnameseFirstMiddleware:
    """Pages speak Vietnamese unless the user chose English with the language switch.

    Browsers on office machines often send ``Accept-Language: en-US``; that must not turn the
    interface English. API clients may still ask for English with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
