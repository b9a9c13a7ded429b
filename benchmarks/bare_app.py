"""The reference for `/live`: a bare FastAPI app answering what the service's probe answers."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/live")
async def read_live() -> dict[str, str]:
    return {"status": "ok"}
