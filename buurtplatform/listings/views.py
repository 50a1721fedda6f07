from buurtplatform.listings import models  # noqa: F401
