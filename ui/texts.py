"""Status wording shared by several screens (network, outbox), kept in one translation context."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication



def network_text(online: bool | None) -> str:
    if online is None:
        return QCoreApplication.translate("Status", "中心系统：检测中…")
    if online:
        return QCoreApplication.translate("Status", "中心系统：在线")
    return QCoreApplication.translate("Status", "中心系统：离线（业务保存在本机，恢复后自动上传）")


def network_state(online: bool | None) -> str:
    """The value of the `state` dynamic property the style sheet colours the label by."""
    return {None: "unknown", True: "ok", False: "warn"}[online]


def outbox_text(pending: int, failed: int = 0, last_success=None, rejected: int = 0) -> str:
    """待上传 count, failures and centre rejections, and when something last reached the centre (local time)."""
    text = QCoreApplication.translate("Status", "待上传：{0}").format(pending)
    if failed:
        text += QCoreApplication.translate("Status", "　上传失败：{0}").format(failed)
    if rejected:
        text += QCoreApplication.translate("Status", "　退回：{0}").format(rejected)
    if last_success is not None:
        from app.clock import to_local

        text += QCoreApplication.translate("Status", "　最近同步：{0}").format(
            to_local(last_success).strftime("%m-%d %H:%M"))
    return text


# --- labels of the domain core ---------------------------------------------------------------------------------------
# app/ has no Qt, so its label tables (case status, workflow action, upload state, material state, urgency, channel,
# certification result/method/outcome, field visit state …) are Chinese data. The UI shows them through domain():
# lupdate reads the list below, and tests/gui/test_i18n.py checks it holds every value of those tables.
DOMAIN_LABELS = (
    QT_TRANSLATE_NOOP("Domain", "已受理"), QT_TRANSLATE_NOOP("Domain", "待补正"), QT_TRANSLATE_NOOP("Domain", "待审核"),
    QT_TRANSLATE_NOOP("Domain", "待复核"), QT_TRANSLATE_NOOP("Domain", "待审批"), QT_TRANSLATE_NOOP("Domain", "已退回"),
    QT_TRANSLATE_NOOP("Domain", "已中止"), QT_TRANSLATE_NOOP("Domain", "已办结"), QT_TRANSLATE_NOOP("Domain", "不予受理"),
    QT_TRANSLATE_NOOP("Domain", "已终止"), QT_TRANSLATE_NOOP("Domain", "已撤回"), QT_TRANSLATE_NOOP("Domain", "受理"),
    QT_TRANSLATE_NOOP("Domain", "一次性告知补正"), QT_TRANSLATE_NOOP("Domain", "继续办理"), QT_TRANSLATE_NOOP("Domain", "中止"),
    QT_TRANSLATE_NOOP("Domain", "提交审核"), QT_TRANSLATE_NOOP("Domain", "审核通过"), QT_TRANSLATE_NOOP("Domain", "复核通过"),
    QT_TRANSLATE_NOOP("Domain", "审批通过"), QT_TRANSLATE_NOOP("Domain", "退回"), QT_TRANSLATE_NOOP("Domain", "办结"),
    QT_TRANSLATE_NOOP("Domain", "终止办理"), QT_TRANSLATE_NOOP("Domain", "撤回"), QT_TRANSLATE_NOOP("Domain", "待上传"),
    QT_TRANSLATE_NOOP("Domain", "已上传"), QT_TRANSLATE_NOOP("Domain", "上传失败"), QT_TRANSLATE_NOOP("Domain", "已收取"),
    QT_TRANSLATE_NOOP("Domain", "缺少"), QT_TRANSLATE_NOOP("Domain", "信息共享获取"), QT_TRANSLATE_NOOP("Domain", "告知承诺"),
    QT_TRANSLATE_NOOP("Domain", "业务上传"), QT_TRANSLATE_NOOP("Domain", "办理环节"), QT_TRANSLATE_NOOP("Domain", "好差评"),
    QT_TRANSLATE_NOOP("Domain", "补正后重新提交"), QT_TRANSLATE_NOOP("Domain", "扫描件"),
    QT_TRANSLATE_NOOP("Domain", "人员信息变更"), QT_TRANSLATE_NOOP("Domain", "上传中"), QT_TRANSLATE_NOOP("Domain", "信息冲突"),
    QT_TRANSLATE_NOOP("Domain", "已更正"), QT_TRANSLATE_NOOP("Domain", "中心已接收"), QT_TRANSLATE_NOOP("Domain", "中心已通过"),
    QT_TRANSLATE_NOOP("Domain", "中心不予通过"), QT_TRANSLATE_NOOP("Domain", "中心要求补正"),
    QT_TRANSLATE_NOOP("Domain", "中心要求重新提交"), QT_TRANSLATE_NOOP("Domain", "已重新提交"),
    QT_TRANSLATE_NOOP("Domain", "无时限"), QT_TRANSLATE_NOOP("Domain", "正常"), QT_TRANSLATE_NOOP("Domain", "即将到期"),
    QT_TRANSLATE_NOOP("Domain", "已超期"), QT_TRANSLATE_NOOP("Domain", "日历缺失"), QT_TRANSLATE_NOOP("Domain", "窗口办理"),
    QT_TRANSLATE_NOOP("Domain", "自助终端"), QT_TRANSLATE_NOOP("Domain", "网上办理"),
    QT_TRANSLATE_NOOP("Domain", "上门/基层服务"), QT_TRANSLATE_NOOP("Domain", "12333电话"),
    QT_TRANSLATE_NOOP("Domain", "认证通过"), QT_TRANSLATE_NOOP("Domain", "已提交后台比对"),
    QT_TRANSLATE_NOOP("Domain", "认证未通过"), QT_TRANSLATE_NOOP("Domain", "信息比对"),
    QT_TRANSLATE_NOOP("Domain", "自助人脸识别"), QT_TRANSLATE_NOOP("Domain", "窗口当面认证"),
    QT_TRANSLATE_NOOP("Domain", "上门认证"), QT_TRANSLATE_NOOP("Domain", "网络视频认证"),
    QT_TRANSLATE_NOOP("Domain", "异地协查认证"), QT_TRANSLATE_NOOP("Domain", "死亡"),
    QT_TRANSLATE_NOOP("Domain", "判刑收监（被羁押）"), QT_TRANSLATE_NOOP("Domain", "领取其他养老保险待遇"),
    QT_TRANSLATE_NOOP("Domain", "重复领取待遇"), QT_TRANSLATE_NOOP("Domain", "下落不明超过6个月"),
    QT_TRANSLATE_NOOP("Domain", "被通缉"), QT_TRANSLATE_NOOP("Domain", "本人在世，认证通过"),
    QT_TRANSLATE_NOOP("Domain", "住院，见到本人，认证通过"), QT_TRANSLATE_NOOP("Domain", "本人已死亡"),
    QT_TRANSLATE_NOOP("Domain", "未找到本人"), QT_TRANSLATE_NOOP("Domain", "已迁居"), QT_TRANSLATE_NOOP("Domain", "待走访"),
    QT_TRANSLATE_NOOP("Domain", "已采集，待上传"), QT_TRANSLATE_NOOP("Domain", "中心已确认"),
    QT_TRANSLATE_NOOP("Domain", "已上传并清除"), QT_TRANSLATE_NOOP("Domain", "上传被拒，需处理"),
    QT_TRANSLATE_NOOP("Domain", "本人照片"), QT_TRANSLATE_NOOP("Domain", "与工作人员合影"),
    QT_TRANSLATE_NOOP("Domain", "证件/材料"),
)


def domain(text: str | None) -> str:
    """A label of the domain core (e.g. CaseView.status_label, ACTION_LABELS[a]) in the display language; texts
    that are not labels (names, free text) come back unchanged."""
    return QCoreApplication.translate("Domain", text) if text else ""
