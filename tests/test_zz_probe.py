import json
from apps.accounts.models import Unit, User, APIToken
from apps.core.models import ObjectChange

def test_probe(client, province):
    c = client
    c.force_login(province.officer_a)
    child = Unit.objects.get(code="HLH-NB-TN")
    for url in ["/units/", f"/units/{child.pk}/", f"/units/{province.union.pk}/", f"/units/{province.union.pk}/edit/", "/users/", "/changelog/", "/search/?q=ha", "/jobs/", "/", "/api/units/", "/api/users/"]:
        r = c.get(url)
        print(url, r.status_code, r.content[:0])
    print(c.get("/api/units/").json())
    c.force_login(province.admin)
    r = c.get(f"/units/{province.union.pk}/edit/")
    print(r.status_code)
    html = r.content.decode()
    import re
    print(re.findall(r'name="_version"[^>]*', html))
    r = c.get("/api/units/99999999999999999999999999999/")
    print(r.status_code, r.content)
    r = c.post("/api/units/", data=json.dumps({"name": "\ud800x", "code": "ZZ", "kind": "other", "parent_id": province.union.pk}), content_type="application/json")
    print(r.status_code, r.content)
    r = c.post("/api/units/", data=json.dumps({"name": "x\x00y", "code": "ZZ2", "kind": "other", "parent_id": province.union.pk}), content_type="application/json")
    print(r.status_code, r.content)
    r = c.post("/api/units/", data=json.dumps({"name": "x", "code": "ZZ3", "kind": "other", "parent_id": 10**30}), content_type="application/json")
    print(r.status_code, r.content)
    r = c.post("/api/units/", data=b"not json", content_type="application/json")
    print(r.status_code, r.content)
    r = c.post("/api/units/", data=b"[]", content_type="application/json")
    print(r.status_code, r.content)
    print(ObjectChange.objects.count())
