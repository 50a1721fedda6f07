from buurtplatform.conversations import models  # noqa: F401
