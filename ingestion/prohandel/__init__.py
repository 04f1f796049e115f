"""The ProHandel ERP/POS connector: API client, sync with watermarks, and the API simulator.

`lambda_handler` is the AWS Lambda entry point (handler string `ingestion.prohandel.lambda_handler`).
It imports the connector on first call, so importing a submodule (the resource table the
validator reads) never drags in the whole connector.
"""

from __future__ import annotations

from typing import Any


def lambda_handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    from ingestion.prohandel.lambda_entry import lambda_handler as handler

    return handler(event, context)


__all__ = ["lambda_handler"]
