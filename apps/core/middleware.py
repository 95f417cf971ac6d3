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


class ApiJsonMiddleware:
    """Under /api/ every answer is JSON in the CONTRACTS format, the routing's own answers too.

    A call without the trailing slash is served as the path with it (Django's APPEND_SLASH would
    redirect, losing a POST's body, or raise under DEBUG); a 404, 405 or 403 that Django's URL
    routing or CSRF check wrote as an HTML page becomes ``{"detail": …, "errors": []}``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import Resolver404, resolve

        path = request.path_info
        if not path.startswith("/api/"):
            return self.get_response(request)
        if not path.endswith("/"):
            try:
                resolve(path)
            except Resolver404:
                try:
                    resolve(path + "/")
                except Resolver404:
                    pass
                else:
                    request.path_info = path + "/"
                    request.path = request.path + "/"
        response = self.get_response(request)
        kind = response.get("Content-Type", "")
        if response.status_code in (403, 404, 405) and not kind.startswith("application/json"):
            return self._json(request, response)
        return response

    def _json(self, request, response):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        detail = {
            403: _("You may not do this."),
            404: _("Not found, or you may not see it."),
            405: _("This method is not allowed here (allowed: {}).").format(response.get("Allow", "—")),
        }[response.status_code]
        answer = JsonResponse({"detail": detail, "errors": []}, status=response.status_code)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
