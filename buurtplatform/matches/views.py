from buurtplatform.matches import models  # noqa: F401
