import re, time
from wsgi import app
from pyinstrument import Profiler
base = "https://cuijk." + app.config["PLATFORM_DOMAIN"]
c = app.test_client()
page = c.get("/inloggen", base_url=base).get_data(as_text=True)
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
c.post("/inloggen", base_url=base, headers={"Referer": base + "/inloggen"}, data={"email": "inwoner.cuijk@scale.buurtplatform.nl", "password": "buurt-demo-2026", "csrf_token": token})
for i in range(20): c.get("/vraag-en-aanbod", base_url=base)
p = Profiler(interval=0.0002); p.start()
t = time.process_time()
for i in range(300): c.get("/vraag-en-aanbod", base_url=base)
print("cpu ms/req", (time.process_time() - t) / 300 * 1000)
p.stop(); print(p.output_text(unicode=False, color=False, show_all=False)[:6000])
