"""Small transcripts in every format, written for the tests: a Word file
made with python-docx, a saved WeChat page, subtitles, a recorder export."""

import contextlib
import http.server
import io
import threading

import docx
from docx.shared import Pt

WECHAT_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>星火观察</title>
<meta property="og:title" content="对话李航：机器人何时走进家庭">
<meta property="og:site_name" content="微信公众平台">
<script>var nickname = "星火观察"; var ct = "1744416000";</script>
<style>.rich_media_content{color:#333}</style></head>
<body><div id="page-nav">首页 · 关注我们</div>
<h1 id="activity-name">对话李航：机器人何时走进家庭</h1>
<a id="js_name">星火观察</a>
<div id="js_content" style="visibility: hidden;">
<p>星火机器人今年推出了第一款家用机器人。我们和创始人李航聊了聊他的判断。</p>
<p><strong>星火观察：</strong>机器人什么时候真正走进家庭？</p>
<p><strong>李航：</strong>我认为还要五年。家里的环境比工厂复杂得多，每家都不一样。</p>
<p><img data-src="https://example.com/lab.jpg"></p>
<p>李航在实验室里调试机械臂</p>
<p>最难的是让机器人理解“收拾好”是什么意思。</p>
<p><strong>星火观察：</strong>价格呢？</p>
<p><strong>李航：</strong>先做到一台车的十分之一。</p>
<p>（本文为星火观察原创，转载请联系授权）</p>
<p>点击“阅读原文”，报名参加开放日</p>
</div>
<div class="share">分享 点赞 在看</div>
</body></html>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
主持人张薇：欢迎收看，

2
00:00:03,100 --> 00:00:05,000
今天我们请到了李航。

3
00:00:06,000 --> 00:00:08,500
李航：谢谢邀请，很高兴来。

4
00:00:09,000 --> 00:00:11,000
张薇：你们在做什么？

5
00:00:11,500 --> 00:00:14,000
李航：做家用机器人。
"""

RECORDER = """说话人 1 00:00:03
今天聊聊量子计算。你们做到哪一步了？

说话人 2 00:00:15
刚做出一台五十比特的原型机。

说话人 1 00:01:02
难点在哪里？

说话人 2 00:01:10
难点在纠错。
"""


def word_file() -> bytes:
    """A .docx: Title style, a heading, bold labels, a picture's caption."""
    document = docx.Document()
    document.add_paragraph("专访赵大海：量子计算的下一步", style="Title")
    document.add_paragraph("赵大海创办量子公司已经八年。")
    document.add_heading("从实验室到工厂", level=2)
    for label, words in (("记者：", "你们什么时候商用？"), ("赵大海：", "三年之内。"), ("记者：", "最大的难点呢？"),
                         ("赵大海：", "纠错。比特数反而是次要的。")):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(label)
        run.bold = True
        paragraph.add_run(words)
    caption = document.add_paragraph("赵大海在无尘车间", style="Caption")
    caption.runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_recording() -> bytes:
    """A recorder's export pasted into a Word file, as newsrooms keep them: speaker lines with times."""
    document = docx.Document()
    document.add_paragraph("专访柯一：电芯的良率", style="Title")
    for line in ("庞雪 00:00:05", "电芯为什么贵？", "柯一 00:00:12", "材料贵，良率也还不够高。一条产线刚投产的时候，十个电芯里可能有一个要返工，"
                 "这部分成本最后都算在客户头上。", "庞雪 00:01:30", "什么时候便宜？", "柯一 00:01:41", "明年，等新产线投产。"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def serve(routes: dict[str, tuple]):
    """A web server on loopback for the duration: path → (status, content
    type, body[, extra headers]); anything else is a 404. Yields its address."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, content_type, body, *extra = routes.get(self.path, (404, "text/html", b"no"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
