from lvze.api.services import api_token_create


def bearer(user, *, read_only: bool = False) -> dict:
    _token, plain = api_token_create(actor=user, name="测试", read_only=read_only, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
