"""Small interviews written for the tests, and the corrections a source
really gets: a typo fixed, punctuation normalised, a question added near the
top, a turn dropped. In our own words."""

from __future__ import annotations

TITLE = "林晓舟谈机器人的下一步"
QUESTIONS = [
    "你们为什么先做仓库里的机器人，而不是家里的？",
    "仿真数据和真实数据，哪个更重要？",
    "大模型对机器人控制帮助有多大？",
    "你怎么看人形机器人的热潮？",
    "接下来两年最大的难点在哪里？",
    "团队里最缺什么样的人？",
]
ANSWERS = [
    "仓库的环境相对固定，货架、通道和箱子的尺寸都有规律，我们可以先把抓取做到足够稳定，再走向更复杂的家庭场景。",
    "两者都重要，但真实数据决定上限。仿真可以帮我们覆盖很多罕见情况，可是摩擦、反光和软物体这些细节，只有真实世界才教得会。",
    "帮助在规划层面最明显，它能把一句模糊的指令拆成一串动作；但到了毫秒级的控制，还是要靠专门的小模型和传统方法。",
    "热潮本身不坏，它把人才和资金带进了这个行业。只是大家要诚实地面对成本，一台机器人要在工厂里干满三年才算真正回本。",
    "最大的难点是可靠性。演示视频里成功一次很容易，客户要的是一万次里只失败一次，这中间的距离比很多人想象得远。",
    "最缺的是既懂硬件又能写好软件的人，这样的工程师在哪个国家都很少，我们愿意花很长时间去培养。",
]


def transcript(pairs: list[tuple[str, str]], title: str = TITLE) -> bytes:
    lines = ["---", f"title: {title}", "outlet: 星河科技评论", "published: 2025-06-01", "speakers:",
             "  问: 星河科技评论", "  答: 林晓舟", "---", ""]
    for question, answer in pairs:
        lines += [f"问：{question}", "", f"答：{answer}", ""]
    return "\n".join(lines).encode()


def interview() -> list[tuple[str, str]]:
    return list(zip(QUESTIONS, ANSWERS))


def corrected_with_new_question_at_top(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A question and answer the first scrape missed, near the top; a typo fixed further down."""
    fixed = [(q, a.replace("回本", "收回成本")) for q, a in pairs]
    return [fixed[0], ("公司是哪一年成立的？", "二〇一九年，最早只有四个人，在一间车库里做机械臂。"), *fixed[1:]]
