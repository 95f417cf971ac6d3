def test_the_health_check_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_an_officer_sees_their_unit_list(client, province):
    client.force_login(province.officer_a)
    response = client.get("/units/")
    assert response.status_code == 200
    assert "Liên hiệp các tổ chức hữu nghị tỉnh" in response.content.decode()
    assert "Sở Ngoại vụ" not in response.content.decode()
