"""Speed-ups for the local moto server, loaded at interpreter start through a .pth file that
local/setup-moto.sh installs into the project's .venv-moto.

moto 5.x renders every EventBridge target's input through jsonpath_ng and compiles the same eight
JSONPath expressions (a PLY grammar build each time) for every target of every event: about 16 ms
per target, so PutEvents on a bus with an archive and two rules costs ~50 ms and caps the local
stack near 20 logins/s. Compiled expressions are immutable, so caching the compiler changes no
behaviour and makes PutEvents ~10x faster.
"""

import functools

try:
    import jsonpath_ng.ext as _jsonpath_ext
except ImportError:  # moto without jsonpath_ng: nothing to speed up
    pass
else:
    if not hasattr(_jsonpath_ext.parse, "cache_info"):
        _jsonpath_ext.parse = functools.lru_cache(maxsize=1024)(_jsonpath_ext.parse)
