<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
    <context>
        <name>A4Output</name>
        <message>
            <source>本机未配置打印机，请到窗口办理。</source>
            <translation>No printer is configured here; please go to a counter.</translation>
        </message>
        <message>
            <source>打印失败，请到窗口办理。</source>
            <translation>Printing failed; please go to a counter.</translation>
        </message>
        <message>
            <source>打印机暂停服务，请到窗口办理。</source>
            <translation>The printer is out of service; please go to a counter.</translation>
        </message>
    </context>
    <context>
        <name>AdminPage</name>
        <message>
            <source>配置项</source>
            <translation>Setting</translation>
        </message>
        <message>
            <source>当前值</source>
            <translation>Current value</translation>
        </message>
        <message>
            <source>来源</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>说明</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>默认值</source>
            <translation>Default</translation>
        </message>
        <message>
            <source>配置文件</source>
            <translation>Config file</translation>
        </message>
        <message>
            <source>集中配置文件</source>
            <translation>Provisioning file</translation>
        </message>
        <message>
            <source>环境变量</source>
            <translation>Environment variable</translation>
        </message>
        <message>
            <source>一窗 · 系统管理</source>
            <translation>Yichuang · Administration</translation>
        </message>
        <message>
            <source>系统管理 · 本机配置</source>
            <translation>Administration · Terminal configuration</translation>
        </message>
        <message>
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>生成支持包</source>
            <translation>Create support bundle</translation>
        </message>
        <message>
            <source>日志、配置（已移除密钥）、外设状态和版本，身份证号等个人信息已脱敏</source>
            <translation>Logs, configuration (secrets removed), device status and versions; ID numbers and other personal data are masked</translation>
        </message>
        <message>
            <source>检查更新</source>
            <translation>Check for updates</translation>
        </message>
        <message>
            <source>立即安装更新</source>
            <translation>Install update now</translation>
        </message>
        <message>
            <source>推迟</source>
            <translation>Postpone</translation>
        </message>
        <message>
            <source>配置文件：{0}</source>
            <translation>Config file: {0}</translation>
        </message>
        <message>
            <source>（本次运行：{0}）</source>
            <translation> (this run: {0})</translation>
        </message>
        <message>
            <source>集中配置：{0}（{1} UTC 应用，{2} 项）</source>
            <translation>Provisioned from: {0} (applied {1} UTC, {2} settings)</translation>
        </message>
        <message>
            <source>本机未经集中配置</source>
            <translation>This terminal has not been provisioned</translation>
        </message>
        <message>
            <source>（不存在，使用默认值）</source>
            <translation> (missing, defaults in use)</translation>
        </message>
        <message>
            <source>优先级：环境变量 ＞ 配置文件（含集中配置写入的项）＞ 默认值</source>
            <translation>Precedence: environment variable &gt; config file (including provisioned settings) &gt; default</translation>
        </message>
        <message>
            <source>正在生成支持包……</source>
            <translation>Creating support bundle…</translation>
        </message>
        <message>
            <source>支持包已生成：{0}（个人信息已脱敏，可发给技术支持）</source>
            <translation>Support bundle created: {0} (personal data masked; it can be sent to the help desk)</translation>
        </message>
        <message>
            <source>生成支持包失败：{0}</source>
            <translation>Could not create the support bundle: {0}</translation>
        </message>
        <message>
            <source>正在检查更新……</source>
            <translation>Checking for updates…</translation>
        </message>
        <message>
            <source>已是最新版本。</source>
            <translation>This is the latest version.</translation>
        </message>
        <message>
            <source>可更新到 {0}（当前 {1}）。</source>
            <translation>Update {0} is available (current {1}). </translation>
        </message>
        <message>
            <source>已超过推迟期限，必须安装。</source>
            <translation>The postponement period is over; the update must be installed.</translation>
        </message>
        <message>
            <source>最迟 {0} 安装，还可推迟 {1} 天。</source>
            <translation>Install by {0}; it can be postponed for {1} more days.</translation>
        </message>
        <message>
            <source>无法检查更新：{0}</source>
            <translation>Could not check for updates: {0}</translation>
        </message>
        <message>
            <source>已推迟更新到 {0}，还可推迟 {1} 天。</source>
            <translation>Update to {0} postponed; it can be postponed for {1} more days.</translation>
        </message>
        <message>
            <source>正在下载并校验 {0}……</source>
            <translation>Downloading and verifying {0}…</translation>
        </message>
        <message>
            <source>已安装 {0}，请重新启动一窗。</source>
            <translation>{0} installed. Please restart Yichuang.</translation>
        </message>
        <message>
            <source>管理员退出自助模式</source>
            <translation>Administrator: leave self-service mode</translation>
        </message>
        <message>
            <source>请输入管理员工号和密码。</source>
            <translation>Enter the administrator staff ID and password.</translation>
        </message>
        <message>
            <source>工号</source>
            <translation>Staff ID</translation>
        </message>
        <message>
            <source>密码</source>
            <translation>Password</translation>
        </message>
        <message>
            <source>返回</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>验证并退出</source>
            <translation>Verify and leave</translation>
        </message>
        <message>
            <source>请输入工号和密码。</source>
            <translation>Enter the staff ID and password.</translation>
        </message>
        <message>
            <source>该工号不是管理员，不能退出自助模式。</source>
            <translation>This staff ID is not an administrator and cannot leave self-service mode.</translation>
        </message>
        <message>
            <source>验证失败。</source>
            <translation>Verification failed.</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>一窗</source>
            <translation>Yichuang</translation>
        </message>
        <message>
            <source>客户端无法启动，请运行 yichuang doctor 检查，或联系管理员。</source>
            <translation>The client cannot start. Run yichuang doctor to check, or contact the administrator.</translation>
        </message>
        <message>
            <source>外勤模式无法启动，请联系管理员。</source>
            <translation>Field mode cannot start. Please contact the administrator.</translation>
        </message>
    </context>
    <context>
        <name>BusinessFields</name>
        <message>
            <source>年-月-日</source>
            <translation>yyyy-mm-dd</translation>
        </message>
        <message>
            <source>格式：年-月-日，如 {0}</source>
            <translation>Format: yyyy-mm-dd, e.g. {0}</translation>
        </message>
        <message>
            <source>年-月，如 2026-01</source>
            <translation>yyyy-mm, e.g. 2026-01</translation>
        </message>
        <message>
            <source>18位公民身份号码，回车查询</source>
            <translation>18-digit citizen ID number; press Enter to look up</translation>
        </message>
    </context>
    <context>
        <name>BusinessForm</name>
        <message>
            <source>受理 (Ctrl+S)</source>
            <translation>Accept (Ctrl+S)</translation>
        </message>
        <message>
            <source>打开文书</source>
            <translation>Open document</translation>
        </message>
        <message>
            <source>{0}：办理表单</source>
            <translation>{0}: case form</translation>
        </message>
        <message>
            <source>已查到 {0}，带出 {1} 项信息，请核对。</source>
            <translation>Found {0}; {1} fields filled in. Please check them.</translation>
        </message>
        <message>
            <source>正在受理…</source>
            <translation>Accepting…</translation>
        </message>
        <message>
            <source>正在受理，请稍候…</source>
            <translation>Accepting, please wait…</translation>
        </message>
        <message>
            <source>保存失败：系统内部错误，业务未受理。请联系管理员。</source>
            <translation>Saving failed: internal error, the case was not accepted. Please contact the administrator.</translation>
        </message>
        <message>
            <source>打开{0}</source>
            <translation>Open {0}</translation>
        </message>
        <message>
            <source>　扫描件未保存：{0}</source>
            <translation>  Scans not saved: {0}</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>系统内部错误</source>
            <translation>Internal error</translation>
        </message>
        <message>
            <source>重新生成{0}</source>
            <translation>Regenerate {0}</translation>
        </message>
    </context>
    <context>
        <name>BusinessHeader</name>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
    </context>
    <context>
        <name>BusinessMaterials</name>
        <message>
            <source>{0}（{1}×{2}）</source>
            <translation>{0} ({1}×{2})</translation>
        </message>
    </context>
    <context>
        <name>CalculatorLaunch</name>
        <message>
            <source>测算工具</source>
            <translation>Calculators</translation>
        </message>
        <message>
            <source>测算：{0}</source>
            <translation>Estimate: {0}</translation>
        </message>
        <message>
            <source>测算 — {0}</source>
            <translation>Estimate — {0}</translation>
        </message>
        <message>
            <source>测算 ({0})</source>
            <translation>Estimate ({0})</translation>
        </message>
        <message>
            <source>按申请人已录入的信息打开：{0}</source>
            <translation>Open with the applicant's data entered so far: {0}</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
    </context>
    <context>
        <name>CalculatorScreen</name>
        <message>
            <source>录入信息</source>
            <translation>Input</translation>
        </message>
        <message>
            <source>计算 (Ctrl+Enter)</source>
            <translation>Calculate (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>打印测算单</source>
            <translation>Print estimate</translation>
        </message>
        <message>
            <source>打开测算单</source>
            <translation>Open estimate</translation>
        </message>
        <message>
            <source>项目</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>结果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>明细</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>序号</source>
            <translation>No.</translation>
        </message>
        <message>
            <source>规则</source>
            <translation>Rule</translation>
        </message>
        <message>
            <source>依据</source>
            <translation>Basis</translation>
        </message>
        <message>
            <source>计算</source>
            <translation>Calculation</translation>
        </message>
        <message>
            <source>参数</source>
            <translation>Parameter</translation>
        </message>
        <message>
            <source>取值</source>
            <translation>Value</translation>
        </message>
        <message>
            <source>地区及期间</source>
            <translation>Region and period</translation>
        </message>
        <message>
            <source>来源</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>类别</source>
            <translation>Category</translation>
        </message>
        <message>
            <source>计算器</source>
            <translation>Calculator</translation>
        </message>
        <message>
            <source>地区代码</source>
            <translation>Region code</translation>
        </message>
        <message>
            <source>测算日期</source>
            <translation>Estimate date</translation>
        </message>
        <message>
            <source>测算结果</source>
            <translation>Estimate</translation>
        </message>
        <message>
            <source>计算过程（规则与依据）</source>
            <translation>Calculation steps (rules and basis)</translation>
        </message>
        <message>
            <source>所用参数及来源</source>
            <translation>Parameters used and their sources</translation>
        </message>
        <message>
            <source>默认 {0}</source>
            <translation>default {0}</translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>依据：{0}</source>
            <translation>Basis: {0}</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>测算日期格式错误，应为 YYYY-MM-DD</source>
            <translation>Invalid estimate date; use YYYY-MM-DD</translation>
        </message>
        <message>
            <source>地区代码应为6位行政区划代码</source>
            <translation>The region code must be a 6-digit administrative division code</translation>
        </message>
        <message>
            <source>测算失败：系统内部错误，请联系管理员。</source>
            <translation>Estimate failed: internal error. Please contact the administrator.</translation>
        </message>
        <message>
            <source>示例值</source>
            <translation>Sample value</translation>
        </message>
        <message>
            <source>测算完成：{0} {1}元</source>
            <translation>Estimate done: {0} {1} yuan</translation>
        </message>
        <message>
            <source>测算完成</source>
            <translation>Estimate done</translation>
        </message>
        <message>
            <source>（含示例参数，仅供演示）</source>
            <translation> (uses sample parameters, for demonstration only)</translation>
        </message>
        <message>
            <source>正在生成测算单…</source>
            <translation>Creating the estimate…</translation>
        </message>
        <message>
            <source>测算单已生成：{0}</source>
            <translation>Estimate created: {0}</translation>
        </message>
        <message>
            <source>系统内部错误</source>
            <translation>Internal error</translation>
        </message>
        <message>
            <source>测算单生成失败：{0}</source>
            <translation>Could not create the estimate: {0}</translation>
        </message>
    </context>
    <context>
        <name>CameraPreview</name>
        <message>
            <source>高拍仪未开启</source>
            <translation>Document camera is off</translation>
        </message>
        <message>
            <source>等待画面…</source>
            <translation>Waiting for the picture…</translation>
        </message>
    </context>
    <context>
        <name>CardLossPage</name>
        <message>
            <source>注意：本机只办理临时挂失。正式挂失不能在本机办理，正式挂失后社保卡不能解挂（004:L5180），须本人持身份证到合作银行网点办理并补领新卡。</source>
            <translation>Note: this kiosk only takes temporary loss reports. A formal loss report cannot be made here; after a formal report the card cannot be unblocked (004:L5180): go in person with your ID card to a partner bank branch and get a replacement card.</translation>
        </message>
        <message>
            <source>社保卡临时挂失。请先阅读说明。</source>
            <translation>Temporary loss report of the social security card. Please read the notes first.</translation>
        </message>
        <message>
            <source>社保卡临时挂失</source>
            <translation>Temporary loss report of the social security card</translation>
        </message>
        <message>
            <source>临时挂失后，您的社保卡社保功能立即暂停使用，防止他人冒用。
找到卡后，可以在本机、窗口或手机 app 解挂，恢复使用。</source>
            <translation>After a temporary loss report, the card's social security functions stop at once so nobody else can use them.
When you find the card, you can lift the report here, at a counter or in the mobile app.</translation>
        </message>
        <message>
            <source>我要临时挂失</source>
            <translation>Report my card lost (temporary)</translation>
        </message>
        <message>
            <source>正在查询您的社保卡状态…</source>
            <translation>Checking your social security card…</translation>
        </message>
        <message>
            <source>暂时查不到，请到窗口办理。</source>
            <translation>This cannot be checked right now; please go to a counter.</translation>
        </message>
        <message>
            <source>卡状态：{0}</source>
            <translation>Card status: {0}</translation>
        </message>
        <message>
            <source>这张卡现在不能临时挂失。</source>
            <translation>This card cannot be reported lost right now.</translation>
        </message>
        <message>
            <source>如已找到卡，可在“社保卡状态查询”中解挂。</source>
            <translation>If you have found the card, lift the report under "Card status".</translation>
        </message>
        <message>
            <source>确认临时挂失吗？</source>
            <translation>Report the card lost (temporary)?</translation>
        </message>
        <message>
            <source>将临时挂失您的社保卡（卡号 {0}）。挂失后社保功能暂停使用，找到卡后可以解挂。
正式挂失请到合作银行网点办理，正式挂失后不能解挂。</source>
            <translation>Your social security card (number {0}) will be reported lost temporarily. Its social security functions stop; you can lift the report when you find it.
A formal loss report is made at a partner bank branch and cannot be lifted.</translation>
        </message>
        <message>
            <source>确认临时挂失</source>
            <translation>Confirm loss report</translation>
        </message>
        <message>
            <source>不挂失</source>
            <translation>Do not report</translation>
        </message>
        <message>
            <source>正在挂失，请稍候…</source>
            <translation>Reporting the loss, please wait…</translation>
        </message>
        <message>
            <source>已{0}</source>
            <translation>Done: {0}</translation>
        </message>
        <message>
            <source>临时挂失已生效。找到卡后，可在本机“社保卡状态查询”中解挂。</source>
            <translation>The temporary loss report is in force. When you find the card, lift it here under "Card status".</translation>
        </message>
        <message>
            <source>临时挂失已生效。</source>
            <translation>The temporary loss report is in force.</translation>
        </message>
    </context>
    <context>
        <name>CardReaders</name>
        <message>
            <source>未配置社保卡读卡器</source>
            <translation>No social security card reader configured</translation>
        </message>
        <message>
            <source>正在读社保卡…</source>
            <translation>Reading social security card…</translation>
        </message>
        <message>
            <source>未配置身份证阅读器</source>
            <translation>No ID card reader configured</translation>
        </message>
        <message>
            <source>正在读身份证…</source>
            <translation>Reading ID card…</translation>
        </message>
        <message>
            <source>已读卡：{0}。请先打开要办理的业务。</source>
            <translation>Card read: {0}. Open the item to handle first.</translation>
        </message>
        <message>
            <source>已读卡：{0}，填入 {1} 项</source>
            <translation>Card read: {0}, {1} fields filled in</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>读卡失败：{0}</source>
            <translation>Card reading failed: {0}</translation>
        </message>
    </context>
    <context>
        <name>CardStatusPage</name>
        <message>
            <source>社保卡状态查询。</source>
            <translation>Social security card status.</translation>
        </message>
        <message>
            <source>社保卡状态查询</source>
            <translation>Card status</translation>
        </message>
        <message>
            <source>临时挂失</source>
            <translation>Report lost (temporary)</translation>
        </message>
        <message>
            <source>解挂</source>
            <translation>Lift loss report</translation>
        </message>
        <message>
            <source>正在查询您的社保卡状态…</source>
            <translation>Checking your social security card…</translation>
        </message>
        <message>
            <source>暂时查不到，请到窗口办理。</source>
            <translation>This cannot be checked right now; please go to a counter.</translation>
        </message>
        <message>
            <source>卡状态：{0}</source>
            <translation>Card status: {0}</translation>
        </message>
        <message>
            <source>您的社保卡状态：{0}。</source>
            <translation>Your social security card status: {0}.</translation>
        </message>
        <message>
            <source>确认解挂吗？</source>
            <translation>Lift the loss report?</translation>
        </message>
        <message>
            <source>解挂后，您的社保卡社保功能恢复使用。</source>
            <translation>After lifting the report, the card's social security functions work again.</translation>
        </message>
        <message>
            <source>确认解挂</source>
            <translation>Lift the report</translation>
        </message>
        <message>
            <source>不解挂</source>
            <translation>Keep the report</translation>
        </message>
        <message>
            <source>正在解挂，请稍候…</source>
            <translation>Lifting the report, please wait…</translation>
        </message>
        <message>
            <source>解挂成功。{0}</source>
            <translation>Report lifted. {0}</translation>
        </message>
        <message>
            <source>解挂成功。</source>
            <translation>Report lifted.</translation>
        </message>
    </context>
    <context>
        <name>CaseListBase</name>
        <message>
            <source>筛选：受理编号、姓名、身份号码、事项</source>
            <translation>Filter: case number, name, ID number, item</translation>
        </message>
        <message>
            <source>刷新 (F5)</source>
            <translation>Refresh (F5)</translation>
        </message>
        <message>
            <source>暂无业务</source>
            <translation>No cases yet</translation>
        </message>
        <message>
            <source>正在读取…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>更新于 {0}</source>
            <translation>Updated {0}</translation>
        </message>
        <message>
            <source>系统内部错误</source>
            <translation>Internal error</translation>
        </message>
        <message>
            <source>读取失败：{0}</source>
            <translation>Loading failed: {0}</translation>
        </message>
        <message>
            <source>没有符合筛选条件的业务</source>
            <translation>No case matches the filter</translation>
        </message>
    </context>
    <context>
        <name>CaseStatus</name>
        <message>
            <source>当前状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>受理编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>办理事项</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>申请人</source>
            <translation>Applicant</translation>
        </message>
        <message>
            <source>受理日期</source>
            <translation>Accepted on</translation>
        </message>
        <message>
            <source>最近办理</source>
            <translation>Recent</translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>承诺办结日期</source>
            <translation>Promised completion date</translation>
        </message>
    </context>
    <context>
        <name>CaseTable</name>
        <message>
            <source>受理时间 {0}</source>
            <translation>Accepted {0}</translation>
        </message>
    </context>
    <context>
        <name>CasesTable</name>
        <message>
            <source>受理编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>事项</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>申请人</source>
            <translation>Applicant</translation>
        </message>
        <message>
            <source>公民身份号码</source>
            <translation>Citizen ID number</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>上传</source>
            <translation>Upload</translation>
        </message>
        <message>
            <source>受理时间 {0}</source>
            <translation>Accepted {0}</translation>
        </message>
        <message>
            <source>　待补正：双击或回车继续办理</source>
            <translation>  Awaiting materials: double-click or press Enter to continue</translation>
        </message>
        <message>
            <source>继续办理</source>
            <translation>Continue</translation>
        </message>
        <message>
            <source>打开文书</source>
            <translation>Open document</translation>
        </message>
    </context>
    <context>
        <name>CertificatePage</name>
        <message>
            <source>您也可以通过“内蒙古人社”app 或 12333 网上服务大厅下载打印参保证明，或到人工窗口办理。</source>
            <translation>You can also download and print the proof of insurance in the "Inner Mongolia HRSS" app or the 12333 online service hall, or at a staffed counter.</translation>
        </message>
        <message>
            <source>打印参保证明。</source>
            <translation>Print proof of insurance.</translation>
        </message>
        <message>
            <source>打印参保证明</source>
            <translation>Print proof of insurance</translation>
        </message>
        <message>
            <source>打印</source>
            <translation>Print</translation>
        </message>
        <message>
            <source>将打印您本人的《社会保险参保证明（个人）》（A4 纸），列出您参加的社会保险险种、参保状态和参保日期。
证明上有验证码和二维码，单位或银行可以扫码核验真伪。打印件含有您的个人信息，请妥善保管。</source>
            <translation>Your personal proof of social insurance will be printed (A4), listing your insurances, their status and start dates.
It carries a verification code and a QR code that employers or banks can scan to check it. The printout contains your personal data; keep it safe.</translation>
        </message>
        <message>
            <source>网络暂时中断，参保证明暂不能打印。
</source>
            <translation>The network is down; the proof of insurance cannot be printed now.
</translation>
        </message>
        <message>
            <source>。
</source>
            <translation>.
</translation>
        </message>
        <message>
            <source>。</source>
            <translation>.</translation>
        </message>
        <message>
            <source>正在查询并打印，请稍候…</source>
            <translation>Looking up and printing, please wait…</translation>
        </message>
        <message>
            <source>打印完成，请从下方出纸口取走参保证明。
验证码：{0}</source>
            <translation>Printed. Please take the proof of insurance from the slot below.
Verification code: {0}</translation>
        </message>
        <message>
            <source>打印完成，请取走参保证明。</source>
            <translation>Printed. Please take the proof of insurance.</translation>
        </message>
        <message>
            <source>打印失败</source>
            <translation>Printing failed</translation>
        </message>
    </context>
    <context>
        <name>CertifyPage</name>
        <message>
            <source>待遇领取资格认证。请正对屏幕上方的摄像头。</source>
            <translation>Benefit eligibility certification. Please face the camera above the screen.</translation>
        </message>
        <message>
            <source>待遇领取资格认证</source>
            <translation>Benefit eligibility certification</translation>
        </message>
        <message>
            <source>请摘下帽子和眼镜，正对摄像头，拍照时请稍微转动头部。</source>
            <translation>Please take off hat and glasses, face the camera, and turn your head slightly during the photo.</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>证件号码</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>本人认证</source>
            <translation>Certify yourself</translation>
        </message>
        <message>
            <source>开始拍照认证</source>
            <translation>Start photo certification</translation>
        </message>
        <message>
            <source>无需认证</source>
            <translation>No certification needed</translation>
        </message>
        <message>
            <source>中心没有您领取养老保险待遇的记录，不需要进行待遇领取资格认证。如有疑问请到窗口咨询。</source>
            <translation>The centre has no pension benefit record for you, so no eligibility certification is needed. Ask at a counter if in doubt.</translation>
        </message>
        <message>
            <source>认证期限</source>
            <translation>Certification due</translation>
        </message>
        <message>
            <source>（已逾期）</source>
            <translation> (overdue)</translation>
        </message>
        <message>
            <source>上次认证</source>
            <translation>Last certification</translation>
        </message>
        <message>
            <source>无</source>
            <translation>None</translation>
        </message>
        <message>
            <source>您的待遇已自{0}起暂停发放；本次认证通过后恢复发放并补发。</source>
            <translation>Your payments have been suspended since {0}; they resume with arrears once this certification passes.</translation>
        </message>
        <message>
            <source>暂时查不到您的认证期限；本次认证照常记录，联网后上传中心。</source>
            <translation>Your certification due date cannot be found right now; this certification is recorded as usual and sent to the centre when online.</translation>
        </message>
        <message>
            <source>请正对摄像头，稍微转动头部。</source>
            <translation>Please face the camera and turn your head slightly.</translation>
        </message>
        <message>
            <source>正在拍照认证，请正对摄像头，稍微转动头部…</source>
            <translation>Taking the photo; please face the camera and turn your head slightly…</translation>
        </message>
        <message>
            <source>多次未通过真人检测，请到人工窗口办理认证。</source>
            <translation>The liveness check failed several times; please certify at a staffed counter.</translation>
        </message>
        <message>
            <source>重新拍照</source>
            <translation>Take the photo again</translation>
        </message>
        <message>
            <source>
请调整后点“重新拍照”。</source>
            <translation>
Adjust, then tap "Take the photo again".</translation>
        </message>
        <message>
            <source>认证通过</source>
            <translation>Certified</translation>
        </message>
        <message>
            <source>本年度待遇领取资格认证已完成，谢谢！</source>
            <translation>This year's benefit eligibility certification is done. Thank you!</translation>
        </message>
        <message>
            <source>认证通过。</source>
            <translation>Certified.</translation>
        </message>
        <message>
            <source>照片已提交</source>
            <translation>Photo submitted</translation>
        </message>
        <message>
            <source>{0}
工作人员比对后完成认证，无需再来；如比对不通过，会电话联系您。</source>
            <translation>{0}
Staff will compare the photo and complete the certification; no need to come back. If it does not match, they will phone you.</translation>
        </message>
        <message>
            <source>已提交后台人工比对。</source>
            <translation>Submitted for comparison by staff.</translation>
        </message>
        <message>
            <source>认证未通过</source>
            <translation>Certification failed</translation>
        </message>
        <message>
            <source>请到人工窗口办理认证。</source>
            <translation>Please certify at a staffed counter.</translation>
        </message>
        <message>
            <source>。</source>
            <translation>.</translation>
        </message>
        <message>
            <source>拍照失败，请重试或到窗口办理。</source>
            <translation>The photo failed; try again or go to a counter.</translation>
        </message>
    </context>
    <context>
        <name>CertifyScreen</name>
        <message>
            <source>待遇领取资格认证</source>
            <translation>Benefit eligibility certification</translation>
        </message>
        <message>
            <source>（自助）</source>
            <translation> (self-service)</translation>
        </message>
        <message>
            <source>每年至少认证一次（000 §78；003 9.6.1）；未按期认证的暂停发放，认证后恢复并补发（002 §27）</source>
            <translation>Certify at least once a year (000 §78; 003 9.6.1); without timely certification payments are suspended, and resumed with arrears after certification (002 §27)</translation>
        </message>
        <message>
            <source>读社保卡</source>
            <translation>Read social security card</translation>
        </message>
        <message>
            <source>读身份证</source>
            <translation>Read ID card</translation>
        </message>
        <message>
            <source>社会保障号码（公民身份号码）</source>
            <translation>Social security number (citizen ID number)</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>确认身份</source>
            <translation>Confirm identity</translation>
        </message>
        <message>
            <source>身份识别</source>
            <translation>Identification</translation>
        </message>
        <message>
            <source>号码</source>
            <translation>Number</translation>
        </message>
        <message>
            <source>请刷社保卡、读身份证或输入号码</source>
            <translation>Swipe the social security card, read the ID card or enter the number</translation>
        </message>
        <message>
            <source>拍照并检测</source>
            <translation>Take photo and check</translation>
        </message>
        <message>
            <source>已当面核对本人与身份证件一致</source>
            <translation>I have checked in person that the person matches the ID document</translation>
        </message>
        <message>
            <source>现场照片</source>
            <translation>Live photo</translation>
        </message>
        <message>
            <source>确认认证</source>
            <translation>Confirm certification</translation>
        </message>
        <message>
            <source>登记死亡/羁押…</source>
            <translation>Register death/detention…</translation>
        </message>
        <message>
            <source>{0}　{1}</source>
            <translation>{0}  {1}</translation>
        </message>
        <message>
            <source>
（离线或未查到认证记录：本次认证照常记录，联网后上传）</source>
            <translation>
(Offline or no certification record found: this certification is recorded as usual and uploaded when online)</translation>
        </message>
        <message>
            <source>认证期限：{0}{1}</source>
            <translation>Certification due: {0}{1}</translation>
        </message>
        <message>
            <source>（已逾期）</source>
            <translation> (overdue)</translation>
        </message>
        <message>
            <source>上次认证：{0}</source>
            <translation>Last certification: {0}</translation>
        </message>
        <message>
            <source>无</source>
            <translation>None</translation>
        </message>
        <message>
            <source>待遇已自{0}起暂停发放；本次认证通过后恢复并补发</source>
            <translation>Payments suspended since {0}; they resume with arrears once this certification passes</translation>
        </message>
        <message>
            <source>请本人正对镜头，稍微转动头部…</source>
            <translation>Please face the camera and turn your head slightly…</translation>
        </message>
        <message>
            <source>拍照失败，请重试</source>
            <translation>Photo failed, please try again</translation>
        </message>
        <message>
            <source>{0}：{1}</source>
            <translation>{0}: {1}</translation>
        </message>
        <message>
            <source>已登记，将报送中心并列入月报。</source>
            <translation>Registered; it will be reported to the centre and included in the monthly report.</translation>
        </message>
    </context>
    <context>
        <name>ConditionRow</name>
        <message>
            <source>符合</source>
            <translation>Met</translation>
        </message>
        <message>
            <source>不符合</source>
            <translation>Not met</translation>
        </message>
        <message>
            <source>符合（系统核验）</source>
            <translation>Met (verified by the system)</translation>
        </message>
        <message>
            <source>？</source>
            <translation>?</translation>
        </message>
        <message>
            <source>依据 {0}</source>
            <translation>Basis {0}</translation>
        </message>
        <message>
            <source>经办人核实符合</source>
            <translation>Clerk verified: met</translation>
        </message>
        <message>
            <source>经办人核实不符合</source>
            <translation>Clerk verified: not met</translation>
        </message>
        <message>
            <source>：</source>
            <translation>: </translation>
        </message>
        <message>
            <source>待核实</source>
            <translation>To be verified</translation>
        </message>
    </context>
    <context>
        <name>ConditionsPanel</name>
        <message>
            <source>办理条件（符合 {0} 项，待核实 {1} 项，不符合 {2} 项）</source>
            <translation>Conditions ({0} met, {1} to verify, {2} not met)</translation>
        </message>
    </context>
    <context>
        <name>ConflictDialog</name>
        <message>
            <source>人员信息冲突</source>
            <translation>Conflicting personal data</translation>
        </message>
        <message>
            <source>该人员信息在您修改后已被其他终端更新（中心版本 {0}）。请逐项选择保留哪个版本，不会自动覆盖。</source>
            <translation>This person's data was changed by another terminal after your edit (centre version {0}). Choose which version to keep for each field; nothing is overwritten automatically.</translation>
        </message>
        <message>
            <source>项目</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>本机（您的修改）</source>
            <translation>This terminal (your edit)</translation>
        </message>
        <message>
            <source>中心现有版本</source>
            <translation>Centre version</translation>
        </message>
        <message>
            <source>全部采用本机</source>
            <translation>Use all of this terminal</translation>
        </message>
        <message>
            <source>全部采用中心</source>
            <translation>Use all of the centre</translation>
        </message>
        <message>
            <source>按所选保存</source>
            <translation>Save as selected</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>ContributionsPage</name>
        <message>
            <source>城乡居民养老保险缴费查询。</source>
            <translation>Resident pension contributions.</translation>
        </message>
        <message>
            <source>城乡居民养老保险缴费查询</source>
            <translation>Resident pension contributions</translation>
        </message>
        <message>
            <source>正在查询您的缴费情况…</source>
            <translation>Looking up your contributions…</translation>
        </message>
        <message>
            <source>暂时查不到，请到窗口办理。</source>
            <translation>This cannot be checked right now; please go to a counter.</translation>
        </message>
        <message>
            <source>未参加城乡居民养老保险</source>
            <translation>Not enrolled in the resident pension scheme</translation>
        </message>
        <message>
            <source>{0}年度：{1}</source>
            <translation>Year {0}: {1}</translation>
        </message>
        <message>
            <source>已缴费</source>
            <translation>paid</translation>
        </message>
        <message>
            <source>未缴费</source>
            <translation>not paid</translation>
        </message>
        <message>
            <source>参保状态：{0}</source>
            <translation>Insurance status: {0}</translation>
        </message>
        <message>
            <source>参保状态</source>
            <translation>Insurance status</translation>
        </message>
        <message>
            <source>参保日期</source>
            <translation>Insured since</translation>
        </message>
        <message>
            <source>累计缴费</source>
            <translation>Total contributions</translation>
        </message>
        <message>
            <source>{0} 年</source>
            <translation>{0} years</translation>
        </message>
        <message>
            <source>缴费档次</source>
            <translation>Contribution level</translation>
        </message>
        <message>
            <source>近年缴费</source>
            <translation>Recent contributions</translation>
        </message>
        <message>
            <source>{0}年度　{1}　{2} 缴费</source>
            <translation>Year {0}  {1}  paid {2}</translation>
        </message>
        <message>
            <source>。</source>
            <translation>.</translation>
        </message>
    </context>
    <context>
        <name>CorrectionDialog</name>
        <message>
            <source>补正材料</source>
            <translation>Supplementary materials</translation>
        </message>
        <message>
            <source>请核验申请人补交的材料，逐项勾选后继续办理：</source>
            <translation>Check the materials the applicant has brought, tick each one, then continue:</translation>
        </message>
        <message>
            <source>补正完成，继续办理</source>
            <translation>Materials complete, continue</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>CounterKeys</name>
        <message>
            <source>叫号(&amp;Q)</source>
            <translation>&amp;Queue</translation>
        </message>
        <message>
            <source>显示(&amp;V)</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>输入事项名称或拼音首字母，回车打开</source>
            <translation>Type an item name or pinyin initials, Enter opens it</translation>
        </message>
        <message>
            <source>业务查找</source>
            <translation>Find item</translation>
        </message>
        <message>
            <source>业务事项列表</source>
            <translation>Service item list</translation>
        </message>
        <message>
            <source>办理中的业务</source>
            <translation>Cases in progress</translation>
        </message>
        <message>
            <source>今日业务</source>
            <translation>Today's cases</translation>
        </message>
        <message>
            <source>今日业务：回车打开文书或继续办理</source>
            <translation>Today's cases: Enter opens the document or continues the case</translation>
        </message>
        <message>
            <source>柜员</source>
            <translation>Clerk</translation>
        </message>
        <message>
            <source>网络状态</source>
            <translation>Network status</translation>
        </message>
        <message>
            <source>上传状态</source>
            <translation>Upload status</translation>
        </message>
        <message>
            <source>设备状态</source>
            <translation>Device status</translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>没有打开的业务：先按 Ctrl+F 查找事项或 F8 叫号。</source>
            <translation>No case is open: press Ctrl+F to find an item or F8 to call the next number.</translation>
        </message>
        <message>
            <source>请先受理业务，生成文书后再打印。</source>
            <translation>Accept the case first; print once the document exists.</translation>
        </message>
        <message>
            <source>文书正在生成，请稍候再按 F11。</source>
            <translation>The document is being created; press F11 again in a moment.</translation>
        </message>
        <message>
            <source>受理回执</source>
            <translation>Receipt</translation>
        </message>
        <message>
            <source>请先打开要办理的业务，再拍摄材料。</source>
            <translation>Open the case first, then capture the materials.</translation>
        </message>
        <message>
            <source>未配置高拍仪，可用“扫描/附件”选择文件。</source>
            <translation>No document camera is configured; use "Scan/attach" to choose a file.</translation>
        </message>
        <message>
            <source>本业务没有需要拍摄的材料。</source>
            <translation>This case has no materials to capture.</translation>
        </message>
        <message>
            <source>正在拍摄：{0}…</source>
            <translation>Capturing: {0}…</translation>
        </message>
        <message>
            <source>拍摄失败，请检查高拍仪后重试。</source>
            <translation>Capture failed; check the document camera and try again.</translation>
        </message>
        <message>
            <source>已拍摄并附上：{0}</source>
            <translation>Captured and attached: {0}</translation>
        </message>
    </context>
    <context>
        <name>CounterWindow</name>
        <message>
            <source>确定</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>一窗 综合柜员系统 — {0}</source>
            <translation>Yichuang counter system — {0}</translation>
        </message>
        <message>
            <source>输入事项名称或拼音首字母搜索，回车打开</source>
            <translation>Type an item name or pinyin initials, Enter opens it</translation>
        </message>
        <message>
            <source>业务查找 (Ctrl+F)</source>
            <translation>Find item (Ctrl+F)</translation>
        </message>
        <message>
            <source>回车打开；Ctrl+D 设为/取消常用</source>
            <translation>Enter opens; Ctrl+D adds/removes a favourite</translation>
        </message>
        <message>
            <source>业务事项</source>
            <translation>Service items</translation>
        </message>
        <message>
            <source>在上方输入事项名称或拼音首字母（如 cxjm），回车即可打开业务。</source>
            <translation>Type an item name or its pinyin initials (e.g. cxjm) above and press Enter to open it.</translation>
        </message>
        <message>
            <source>办理中：回车跳到下一项，Ctrl+S 受理，Ctrl+W 关闭当前业务。</source>
            <translation>While serving: Enter moves to the next field, Ctrl+S accepts, Ctrl+W closes the current case.</translation>
        </message>
        <message>
            <source>事项列表中按 Ctrl+D 设为常用，常用事项排在最前。</source>
            <translation>Press Ctrl+D in the item list to make an item a favourite; favourites come first.</translation>
        </message>
        <message>
            <source>今日业务</source>
            <translation>Today's cases</translation>
        </message>
        <message>
            <source>联网</source>
            <translation>Online</translation>
        </message>
        <message>
            <source>离线</source>
            <translation>Offline</translation>
        </message>
        <message>
            <source>柜员：{0}（工号 {1}，{2}登录）　终端：{3}</source>
            <translation>Clerk: {0} (ID {1}, logged in {2})  Terminal: {3}</translation>
        </message>
        <message>
            <source>设备：检测中…</source>
            <translation>Devices: checking…</translation>
        </message>
        <message>
            <source>{0}
{1}｜{2}｜{3}</source>
            <translation>{0}
{1} | {2} | {3}</translation>
        </message>
        <message>
            <source>常用事项</source>
            <translation>Favourites</translation>
        </message>
        <message>
            <source>最近办理</source>
            <translation>Recent</translation>
        </message>
        <message>
            <source>全部事项</source>
            <translation>All items</translation>
        </message>
        <message>
            <source>没有找到匹配的事项</source>
            <translation>No matching item</translation>
        </message>
        <message>
            <source>已设为常用：{0}</source>
            <translation>Added to favourites: {0}</translation>
        </message>
        <message>
            <source>已取消常用：{0}</source>
            <translation>Removed from favourites: {0}</translation>
        </message>
        <message>
            <source>打开</source>
            <translation>Open</translation>
        </message>
        <message>
            <source>取消常用 (Ctrl+D)</source>
            <translation>Remove favourite (Ctrl+D)</translation>
        </message>
        <message>
            <source>设为常用 (Ctrl+D)</source>
            <translation>Add favourite (Ctrl+D)</translation>
        </message>
        <message>
            <source>正在打开 {0}…</source>
            <translation>Opening {0}…</translation>
        </message>
        <message>
            <source>{0} 当前状态为{1}，无需补正</source>
            <translation>{0} is {1}; no materials are missing</translation>
        </message>
        <message>
            <source>继续办理 {0}</source>
            <translation>Continue {0}</translation>
        </message>
        <message>
            <source>无法读取该业务，请刷新今日业务后重试；仍不行请联系管理员。</source>
            <translation>The case could not be read. Refresh today's cases and try again; if it still fails, contact the administrator.</translation>
        </message>
        <message>
            <source>关闭业务</source>
            <translation>Close case</translation>
        </message>
        <message>
            <source>“{0}”已录入的内容尚未保存，确定关闭吗？</source>
            <translation>What you entered in "{0}" is not saved. Close it anyway?</translation>
        </message>
        <message>
            <source>{0}（{1} {2}）</source>
            <translation>{0} ({1} {2})</translation>
        </message>
        <message>
            <source>{0} {1}：{2}</source>
            <translation>{0} {1}: {2}</translation>
        </message>
        <message>
            <source>今日业务（{0} 件）</source>
            <translation>Today's cases ({0})</translation>
        </message>
        <message>
            <source>　另有往日待补正 {0} 件</source>
            <translation>  plus {0} earlier cases awaiting materials</translation>
        </message>
        <message>
            <source>按 F9 打开待上传业务（上传队列）</source>
            <translation>Press F9 for cases waiting to upload (outbox)</translation>
        </message>
        <message>
            <source>设备：未配置</source>
            <translation>Devices: not configured</translation>
        </message>
        <message>
            <source>退出</source>
            <translation>Exit</translation>
        </message>
        <message>
            <source>有 {0} 项业务尚未保存，确定退出吗？</source>
            <translation>{0} cases are not saved. Exit anyway?</translation>
        </message>
    </context>
    <context>
        <name>DaySummaryView</name>
        <message>
            <source>今日工作小结</source>
            <translation>Day summary</translation>
        </message>
        <message>
            <source>正在统计…</source>
            <translation>Counting…</translation>
        </message>
        <message>
            <source>刷新 (F5)</source>
            <translation>Refresh (F5)</translation>
        </message>
        <message>
            <source>{0} 柜员 {1} 今日工作小结</source>
            <translation>{0} day summary of clerk {1}</translation>
        </message>
        <message>
            <source>已超期</source>
            <translation>Overdue</translation>
        </message>
        <message>
            <source>统计失败：无法读取本机业务数据，请稍后按 F5 重试；仍失败请联系管理员。</source>
            <translation>Summary failed: the local case data could not be read. Press F5 to retry later; if it still fails, contact the administrator.</translation>
        </message>
    </context>
    <context>
        <name>DeviceTestPage</name>
        <message>
            <source>设备检测</source>
            <translation>Device test</translation>
        </message>
        <message>
            <source>设备</source>
            <translation>Device</translation>
        </message>
        <message>
            <source>方式</source>
            <translation>Mode</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>说明</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>刷新状态</source>
            <translation>Refresh status</translation>
        </message>
        <message>
            <source>读社保卡</source>
            <translation>Read social security card</translation>
        </message>
        <message>
            <source>读身份证</source>
            <translation>Read ID card</translation>
        </message>
        <message>
            <source>拍测试照片</source>
            <translation>Take test photo</translation>
        </message>
        <message>
            <source>拍证件照</source>
            <translation>Take ID photo</translation>
        </message>
        <message>
            <source>打印测试单</source>
            <translation>Print test slip</translation>
        </message>
        <message>
            <source>实时预览</source>
            <translation>Live preview</translation>
        </message>
        <message>
            <source>点击上方按钮检测设备。</source>
            <translation>Use the buttons above to test the devices.</translation>
        </message>
        <message>
            <source>原始通讯记录</source>
            <translation>Raw communication log</translation>
        </message>
        <message>
            <source>插卡自动读取</source>
            <translation>Read on card insertion</translation>
        </message>
        <message>
            <source>真实设备</source>
            <translation>Real device</translation>
        </message>
        <message>
            <source>模拟</source>
            <translation>Simulated</translation>
        </message>
        <message>
            <source>未配置</source>
            <translation>Not configured</translation>
        </message>
        <message>
            <source>操作失败：{0}</source>
            <translation>Operation failed: {0}</translation>
        </message>
        <message>
            <source>{0}未配置</source>
            <translation>{0} not configured</translation>
        </message>
        <message>
            <source>正在读社保卡…</source>
            <translation>Reading social security card…</translation>
        </message>
        <message>
            <source>社保卡</source>
            <translation>Social security card</translation>
        </message>
        <message>
            <source>正在读身份证…</source>
            <translation>Reading ID card…</translation>
        </message>
        <message>
            <source>身份证</source>
            <translation>ID card</translation>
        </message>
        <message>
            <source>正在拍照…</source>
            <translation>Taking photo…</translation>
        </message>
        <message>
            <source>已保存 {0}</source>
            <translation>Saved {0}</translation>
        </message>
        <message>
            <source>正在拍证件照…</source>
            <translation>Taking ID photo…</translation>
        </message>
        <message>
            <source>正在打印测试单…</source>
            <translation>Printing test slip…</translation>
        </message>
        <message>
            <source>测试单已打印</source>
            <translation>Test slip printed</translation>
        </message>
    </context>
    <context>
        <name>Documents</name>
        <message>
            <source>本业务已转为待补正，补正期间不计入办理时限；补齐材料之日起继续计算。</source>
            <translation>The case now awaits materials; the time limit pauses until the materials are complete and resumes from that day.</translation>
        </message>
        <message>
            <source>本机未配置扫描件存储</source>
            <translation>No scan storage is configured on this terminal</translation>
        </message>
    </context>
    <context>
        <name>Domain</name>
        <message>
            <source>已受理</source>
            <translation>Accepted</translation>
        </message>
        <message>
            <source>待补正</source>
            <translation>Awaiting materials</translation>
        </message>
        <message>
            <source>待审核</source>
            <translation>Awaiting review</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>Awaiting recheck</translation>
        </message>
        <message>
            <source>待审批</source>
            <translation>Awaiting approval</translation>
        </message>
        <message>
            <source>已退回</source>
            <translation>Returned</translation>
        </message>
        <message>
            <source>已中止</source>
            <translation>Suspended</translation>
        </message>
        <message>
            <source>已办结</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>不予受理</source>
            <translation>Do not accept</translation>
        </message>
        <message>
            <source>已终止</source>
            <translation>Terminated</translation>
        </message>
        <message>
            <source>已撤回</source>
            <translation>Withdrawn</translation>
        </message>
        <message>
            <source>受理</source>
            <translation>Accept</translation>
        </message>
        <message>
            <source>一次性告知补正</source>
            <translation>One-time notice of missing materials</translation>
        </message>
        <message>
            <source>继续办理</source>
            <translation>Continue</translation>
        </message>
        <message>
            <source>中止</source>
            <translation>Suspend</translation>
        </message>
        <message>
            <source>提交审核</source>
            <translation>Submit for review</translation>
        </message>
        <message>
            <source>审核通过</source>
            <translation>Review passed</translation>
        </message>
        <message>
            <source>复核通过</source>
            <translation>Recheck passed</translation>
        </message>
        <message>
            <source>审批通过</source>
            <translation>Approved</translation>
        </message>
        <message>
            <source>退回</source>
            <translation>Return</translation>
        </message>
        <message>
            <source>办结</source>
            <translation>Complete</translation>
        </message>
        <message>
            <source>终止办理</source>
            <translation>Terminate</translation>
        </message>
        <message>
            <source>撤回</source>
            <translation>Withdraw</translation>
        </message>
        <message>
            <source>待上传</source>
            <translation>Waiting to upload</translation>
        </message>
        <message>
            <source>已上传</source>
            <translation>Uploaded</translation>
        </message>
        <message>
            <source>上传失败</source>
            <translation>Upload failed</translation>
        </message>
        <message>
            <source>已收取</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>缺少</source>
            <translation>Missing</translation>
        </message>
        <message>
            <source>信息共享获取</source>
            <translation>Obtained by data sharing</translation>
        </message>
        <message>
            <source>告知承诺</source>
            <translation>Written commitment</translation>
        </message>
        <message>
            <source>业务上传</source>
            <translation>Case upload</translation>
        </message>
        <message>
            <source>办理环节</source>
            <translation>Workflow step</translation>
        </message>
        <message>
            <source>好差评</source>
            <translation>Service rating</translation>
        </message>
        <message>
            <source>补正后重新提交</source>
            <translation>Resubmission after materials</translation>
        </message>
        <message>
            <source>扫描件</source>
            <translation>Scan</translation>
        </message>
        <message>
            <source>人员信息变更</source>
            <translation>Personal data change</translation>
        </message>
        <message>
            <source>上传中</source>
            <translation>Uploading</translation>
        </message>
        <message>
            <source>信息冲突</source>
            <translation>Conflict</translation>
        </message>
        <message>
            <source>已更正</source>
            <translation>Corrected</translation>
        </message>
        <message>
            <source>中心已接收</source>
            <translation>Received by the centre</translation>
        </message>
        <message>
            <source>中心已通过</source>
            <translation>Approved by the centre</translation>
        </message>
        <message>
            <source>中心不予通过</source>
            <translation>Rejected by the centre</translation>
        </message>
        <message>
            <source>中心要求补正</source>
            <translation>Centre asks for materials</translation>
        </message>
        <message>
            <source>中心要求重新提交</source>
            <translation>Centre asks for resubmission</translation>
        </message>
        <message>
            <source>已重新提交</source>
            <translation>Resubmitted</translation>
        </message>
        <message>
            <source>无时限</source>
            <translation>No time limit</translation>
        </message>
        <message>
            <source>正常</source>
            <translation>On time</translation>
        </message>
        <message>
            <source>即将到期</source>
            <translation>Due soon</translation>
        </message>
        <message>
            <source>已超期</source>
            <translation>Overdue</translation>
        </message>
        <message>
            <source>日历缺失</source>
            <translation>Calendar missing</translation>
        </message>
        <message>
            <source>窗口办理</source>
            <translation>At the counter</translation>
        </message>
        <message>
            <source>自助终端</source>
            <translation>Kiosk</translation>
        </message>
        <message>
            <source>网上办理</source>
            <translation>Online</translation>
        </message>
        <message>
            <source>上门/基层服务</source>
            <translation>Home visit / local service point</translation>
        </message>
        <message>
            <source>12333电话</source>
            <translation>12333 hotline</translation>
        </message>
        <message>
            <source>认证通过</source>
            <translation>Certified</translation>
        </message>
        <message>
            <source>已提交后台比对</source>
            <translation>Submitted for comparison</translation>
        </message>
        <message>
            <source>认证未通过</source>
            <translation>Certification failed</translation>
        </message>
        <message>
            <source>信息比对</source>
            <translation>Data comparison</translation>
        </message>
        <message>
            <source>自助人脸识别</source>
            <translation>Self-service face recognition</translation>
        </message>
        <message>
            <source>窗口当面认证</source>
            <translation>In person at the counter</translation>
        </message>
        <message>
            <source>上门认证</source>
            <translation>Home visit</translation>
        </message>
        <message>
            <source>网络视频认证</source>
            <translation>Video call</translation>
        </message>
        <message>
            <source>异地协查认证</source>
            <translation>Certification by another region</translation>
        </message>
        <message>
            <source>死亡</source>
            <translation>Death</translation>
        </message>
        <message>
            <source>判刑收监（被羁押）</source>
            <translation>Imprisoned (in custody)</translation>
        </message>
        <message>
            <source>领取其他养老保险待遇</source>
            <translation>Receives another pension</translation>
        </message>
        <message>
            <source>重复领取待遇</source>
            <translation>Duplicate benefit</translation>
        </message>
        <message>
            <source>下落不明超过6个月</source>
            <translation>Missing for more than 6 months</translation>
        </message>
        <message>
            <source>被通缉</source>
            <translation>Wanted by the police</translation>
        </message>
        <message>
            <source>本人在世，认证通过</source>
            <translation>Person alive, certified</translation>
        </message>
        <message>
            <source>住院，见到本人，认证通过</source>
            <translation>In hospital, person seen, certified</translation>
        </message>
        <message>
            <source>本人已死亡</source>
            <translation>Person has died</translation>
        </message>
        <message>
            <source>未找到本人</source>
            <translation>Person not found</translation>
        </message>
        <message>
            <source>已迁居</source>
            <translation>Moved away</translation>
        </message>
        <message>
            <source>待走访</source>
            <translation>To visit</translation>
        </message>
        <message>
            <source>已采集，待上传</source>
            <translation>Recorded, waiting to upload</translation>
        </message>
        <message>
            <source>中心已确认</source>
            <translation>Confirmed by the centre</translation>
        </message>
        <message>
            <source>已上传并清除</source>
            <translation>Uploaded and cleared</translation>
        </message>
        <message>
            <source>上传被拒，需处理</source>
            <translation>Upload rejected, needs action</translation>
        </message>
        <message>
            <source>本人照片</source>
            <translation>Photo of the person</translation>
        </message>
        <message>
            <source>与工作人员合影</source>
            <translation>Photo with the staff</translation>
        </message>
        <message>
            <source>证件/材料</source>
            <translation>Documents/materials</translation>
        </message>
    </context>
    <context>
        <name>EnrolmentPage</name>
        <message>
            <source>核对信息</source>
            <translation>Check data</translation>
        </message>
        <message>
            <source>联系电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <source>拍摄材料</source>
            <translation>Capture materials</translation>
        </message>
        <message>
            <source>确认提交</source>
            <translation>Confirm and submit</translation>
        </message>
        <message>
            <source>城乡居民养老保险参保登记。请核对您的信息。</source>
            <translation>Resident pension enrolment. Please check your data.</translation>
        </message>
        <message>
            <source>城乡居民养老保险参保登记</source>
            <translation>Resident pension enrolment</translation>
        </message>
        <message>
            <source>上一步</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>下一步</source>
            <translation>Next</translation>
        </message>
        <message>
            <source>以下信息读取自您的证件，请核对：</source>
            <translation>The following was read from your document; please check it:</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>公民身份号码</source>
            <translation>Citizen ID number</translation>
        </message>
        <message>
            <source>性别</source>
            <translation>Sex</translation>
        </message>
        <message>
            <source>民族</source>
            <translation>Ethnic group</translation>
        </message>
        <message>
            <source>出生日期</source>
            <translation>Date of birth</translation>
        </message>
        <message>
            <source>%Y年%m月%d日</source>
            <translation>%Y-%m-%d</translation>
        </message>
        <message>
            <source>户籍地址</source>
            <translation>Registered address</translation>
        </message>
        <message>
            <source>（卡内未读到，请在下一步输入）</source>
            <translation>(not on the card; enter it in the next step)</translation>
        </message>
        <message>
            <source>暂不能自助办理：</source>
            <translation>This cannot be done at the kiosk now: </translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>。请到窗口咨询。</source>
            <translation>. Please ask at a counter.</translation>
        </message>
        <message>
            <source>请输入姓名</source>
            <translation>Enter your name</translation>
        </message>
        <message>
            <source>请输入您的手机号码，审核结果将短信通知您：</source>
            <translation>Enter your mobile number; the result of the review is sent by SMS:</translation>
        </message>
        <message>
            <source>点击下方数字输入</source>
            <translation>Tap the digits below</translation>
        </message>
        <message>
            <source>放好后点“拍照”。拍得不清楚可以“重拍”。</source>
            <translation>When it is in place, tap "Photo". If it is unclear, tap "Retake".</translation>
        </message>
        <message>
            <source>○　{0}</source>
            <translation>○  {0}</translation>
        </message>
        <message>
            <source>重拍</source>
            <translation>Retake</translation>
        </message>
        <message>
            <source>拍照</source>
            <translation>Photo</translation>
        </message>
        <message>
            <source>提交前，请确认以下情况属实：</source>
            <translation>Before submitting, confirm that the following is true:</translation>
        </message>
        <message>
            <source>以上信息真实、准确。</source>
            <translation>The information above is true and accurate.</translation>
        </message>
        <message>
            <source>{0}．{1}</source>
            <translation>{0}. {1}</translation>
        </message>
        <message>
            <source>提交后由工作人员审核。如有不实，将承担相应责任。</source>
            <translation>Staff review the application after submission. You are responsible for any untrue statement.</translation>
        </message>
        <message>
            <source>第 {0} 步，共 {1} 步：{2}</source>
            <translation>Step {0} of {1}: {2}</translation>
        </message>
        <message>
            <source>返回</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>我承诺属实，提交申请</source>
            <translation>I confirm this is true; submit</translation>
        </message>
        <message>
            <source>信息正确，下一步</source>
            <translation>Correct, next</translation>
        </message>
        <message>
            <source>请输入您的手机号码。</source>
            <translation>Please enter your mobile number.</translation>
        </message>
        <message>
            <source>回执打印机暂停服务：提交后请记下屏幕上的受理编号。</source>
            <translation>The receipt printer is out of service: after submitting, note the case number on the screen.</translation>
        </message>
        <message>
            <source>请确认后提交申请。</source>
            <translation>Please confirm, then submit.</translation>
        </message>
        <message>
            <source>请输入您的姓名。</source>
            <translation>Please enter your name.</translation>
        </message>
        <message>
            <source>请输入11位手机号码。</source>
            <translation>Please enter an 11-digit mobile number.</translation>
        </message>
        <message>
            <source>请先拍完全部材料。</source>
            <translation>Capture all materials first.</translation>
        </message>
        <message>
            <source>●　</source>
            <translation>●  </translation>
        </message>
        <message>
            <source>○　</source>
            <translation>○  </translation>
        </message>
        <message>
            <source>（已拍）</source>
            <translation> (captured)</translation>
        </message>
        <message>
            <source>材料已拍完，请点“下一步”</source>
            <translation>All materials captured; tap "Next"</translation>
        </message>
        <message>
            <source>请把{0}平放在拍摄区</source>
            <translation>Lay the {0} flat in the capture area</translation>
        </message>
        <message>
            <source>请把{0}平放在拍摄区，然后点拍照。</source>
            <translation>Lay the {0} flat in the capture area, then tap "Photo".</translation>
        </message>
        <message>
            <source>正在拍照，请不要移动材料…</source>
            <translation>Taking the photo; do not move the document…</translation>
        </message>
        <message>
            <source>拍照失败，请重试；仍不行请到窗口办理。</source>
            <translation>The photo failed; try again, or go to a counter if it still fails.</translation>
        </message>
        <message>
            <source>正在提交，请稍候…</source>
            <translation>Submitting, please wait…</translation>
        </message>
        <message>
            <source> 如有疑问请到窗口咨询。</source>
            <translation> Ask at a counter if in doubt.</translation>
        </message>
        <message>
            <source> 请到窗口办理。</source>
            <translation> Please go to a counter.</translation>
        </message>
        <message>
            <source>系统暂时无法提交，请到窗口办理。</source>
            <translation>The system cannot submit right now; please go to a counter.</translation>
        </message>
    </context>
    <context>
        <name>EnrolmentResultPage</name>
        <message>
            <source>申请已提交，请记下受理编号。</source>
            <translation>Application submitted; please note the case number.</translation>
        </message>
        <message>
            <source>申请已提交</source>
            <translation>Application submitted</translation>
        </message>
        <message>
            <source>暂不能受理</source>
            <translation>Cannot be accepted now</translation>
        </message>
        <message>
            <source>受理编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>工作人员审核后，会短信通知您结果。可凭受理编号在本机“查询办理进度”。</source>
            <translation>Staff will review it and send you the result by SMS. Use the case number under "Case progress" on this kiosk.</translation>
        </message>
        <message>
            <source>正在打印回执，请稍候…</source>
            <translation>Printing the receipt, please wait…</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>{0}。请到窗口咨询办理。</source>
            <translation>{0}. Please ask at a counter.</translation>
        </message>
        <message>
            <source>办完了</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>回执已打印，请从出纸口取走。</source>
            <translation>Receipt printed; please take it from the slot.</translation>
        </message>
        <message>
            <source>回执打印失败</source>
            <translation>Receipt printing failed</translation>
        </message>
        <message>
            <source>回执打印机缺纸</source>
            <translation>The receipt printer is out of paper</translation>
        </message>
        <message>
            <source>{0}：请记下上面的受理编号，或到窗口打印回执。</source>
            <translation>{0}: note the case number above, or have the receipt printed at a counter.</translation>
        </message>
    </context>
    <context>
        <name>EnrolmentScans</name>
        <message>
            <source>身份证（人像面）</source>
            <translation>ID card (photo side)</translation>
        </message>
        <message>
            <source>户口簿首页</source>
            <translation>household register (first page)</translation>
        </message>
        <message>
            <source>户口簿本人页</source>
            <translation>household register (applicant's page)</translation>
        </message>
    </context>
    <context>
        <name>EventTable</name>
        <message>
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>操作</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>状态变化</source>
            <translation>Status change</translation>
        </message>
        <message>
            <source>岗位</source>
            <translation>Role</translation>
        </message>
        <message>
            <source>操作员</source>
            <translation>Operator</translation>
        </message>
        <message>
            <source>原因/意见</source>
            <translation>Reason/comment</translation>
        </message>
        <message>
            <source>新建</source>
            <translation>New</translation>
        </message>
        <message>
            <source>{0} → {1}</source>
            <translation>{0} → {1}</translation>
        </message>
    </context>
    <context>
        <name>FieldGrid</name>
        <message>
            <source>登记信息（带 * 为必填项）</source>
            <translation>Registration data (* = required)</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Look up</translation>
        </message>
    </context>
    <context>
        <name>FieldWindow</name>
        <message>
            <source>一窗 · 上门认证（外勤）— {0}</source>
            <translation>Yichuang · Home-visit certification (field) — {0}</translation>
        </message>
        <message>
            <source>同步：未知</source>
            <translation>Sync: unknown</translation>
        </message>
        <message>
            <source>正在打开走访…</source>
            <translation>Opening the visit…</translation>
        </message>
        <message>
            <source>无法打开该走访，请重新下载名单；仍不行请联系管理员。</source>
            <translation>The visit could not be opened. Download the list again; if it still fails, contact the administrator.</translation>
        </message>
        <message>
            <source>在线；待上传 {0} 条</source>
            <translation>Online; {0} waiting to upload</translation>
        </message>
        <message>
            <source>离线；待上传 {0} 条（已加密保存在本机）</source>
            <translation>Offline; {0} waiting to upload (stored encrypted on this laptop)</translation>
        </message>
        <message>
            <source>；{0} 条被拒</source>
            <translation>; {0} rejected</translation>
        </message>
    </context>
    <context>
        <name>FormDetails</name>
        <message>
            <source>{0}：</source>
            <translation>{0}:</translation>
        </message>
        <message>
            <source>无登记信息</source>
            <translation>No registration data</translation>
        </message>
    </context>
    <context>
        <name>GoodbyePage</name>
        <message>
            <source>请取回您的{0}</source>
            <translation>Please take your {0}</translation>
        </message>
        <message>
            <source>请取回您的{0}，谢谢使用。</source>
            <translation>Please take your {0}. Thank you.</translation>
        </message>
        <message>
            <source>谢谢使用</source>
            <translation>Thank you</translation>
        </message>
        <message>
            <source>谢谢使用，再见。</source>
            <translation>Thank you, goodbye.</translation>
        </message>
        <message>
            <source>长时间无操作，已为您结束办理，信息已清除。</source>
            <translation>No activity for a long time: the session has ended and your data was cleared.</translation>
        </message>
        <message>
            <source>办理已结束，您的信息已从本机屏幕清除。</source>
            <translation>The session has ended; your data was cleared from this screen.</translation>
        </message>
    </context>
    <context>
        <name>HelpOverlay</name>
        <message>
            <source>快捷键帮助</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>快捷键（F1 或 Esc 关闭）</source>
            <translation>Keyboard shortcuts (F1 or Esc closes)</translation>
        </message>
        <message>
            <source>办理业务时</source>
            <translation>While handling a case</translation>
        </message>
    </context>
    <context>
        <name>Identity</name>
        <message>
            <source>{0}含有不允许的字母（不使用I、O、Z、S、V），请核对营业执照</source>
            <translation>{0} contains letters that are not allowed (I, O, Z, S, V are unused); check the business licence</translation>
        </message>
        <message>
            <source>{0}校验位不正确，请核对营业执照</source>
            <translation>{0} has a wrong check character; check the business licence</translation>
        </message>
    </context>
    <context>
        <name>IdleLock</name>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>请输入密码。</source>
            <translation>Please enter the password.</translation>
        </message>
        <message>
            <source>正在验证…</source>
            <translation>Checking…</translation>
        </message>
        <message>
            <source>密码错误，请重新输入。</source>
            <translation>Wrong password, please try again.</translation>
        </message>
        <message>
            <source>无法验证密码，请重试；仍不行请联系管理员。</source>
            <translation>The password could not be checked. Try again; if it still fails, contact the administrator.</translation>
        </message>
    </context>
    <context>
        <name>IdlePage</name>
        <message>
            <source>办理时间：工作日 上午 8:30–12:00，下午 14:30–17:30</source>
            <translation>Opening hours: working days 8:30–12:00 and 14:30–17:30</translation>
        </message>
        <message>
            <source>咨询电话：12333</source>
            <translation>Helpline: 12333</translation>
        </message>
        <message>
            <source>城乡居民养老保险可在本机自助申请参保登记，工作人员审核后短信通知</source>
            <translation>You can apply for resident pension enrolment at this kiosk; staff review it and notify you by SMS</translation>
        </message>
        <message>
            <source>您好！请插入社保卡，或把身份证放在感应区。</source>
            <translation>Hello! Insert your social security card or place your ID card on the reader.</translation>
        </message>
        <message>
            <source>社会保险自助服务</source>
            <translation>Social insurance self-service</translation>
        </message>
        <message>
            <source>请插入社保卡</source>
            <translation>Insert your social security card</translation>
        </message>
        <message>
            <source>芯片朝上，插入右下方读卡口</source>
            <translation>Chip facing up, into the slot at the bottom right</translation>
        </message>
        <message>
            <source>或放身份证</source>
            <translation>or place your ID card</translation>
        </message>
        <message>
            <source>平放在右下方感应区</source>
            <translation>flat on the reader at the bottom right</translation>
        </message>
        <message>
            <source>不用插卡，查询办理进度</source>
            <translation>Case progress (no card needed)</translation>
        </message>
        <message>
            <source>取号</source>
            <translation>Take a number</translation>
        </message>
        <message>
            <source>演示：插入社保卡</source>
            <translation>Demo: insert social security card</translation>
        </message>
        <message>
            <source>演示：放身份证</source>
            <translation>Demo: place ID card</translation>
        </message>
        <message>
            <source>读身份证失败</source>
            <translation>ID card reading failed</translation>
        </message>
    </context>
    <context>
        <name>ItemHeader</name>
        <message>
            <source>承诺时限：{0}　　法定时限：{1}　　收费：{2}　　办理渠道：{3}</source>
            <translation>Promised time: {0}    Legal time: {1}    Fee: {2}    Channels: {3}</translation>
        </message>
        <message>
            <source>依据：{0}</source>
            <translation>Basis: {0}</translation>
        </message>
        <message>
            <source>离线说明：本事项可离线受理，联网后方能办结（{0}）。</source>
            <translation>Offline: this item can be accepted offline but completed only online ({0}).</translation>
        </message>
    </context>
    <context>
        <name>Key</name>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
    </context>
    <context>
        <name>KeyMap</name>
        <message>
            <source>快捷键帮助</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>读社保卡</source>
            <translation>Read social security card</translation>
        </message>
        <message>
            <source>读身份证</source>
            <translation>Read ID card</translation>
        </message>
        <message>
            <source>高拍仪拍摄当前材料</source>
            <translation>Capture the current material</translation>
        </message>
        <message>
            <source>刷新今日业务</source>
            <translation>Refresh today's cases</translation>
        </message>
        <message>
            <source>待办审核队列</source>
            <translation>Review queue</translation>
        </message>
        <message>
            <source>待遇测算</source>
            <translation>Benefit calculators</translation>
        </message>
        <message>
            <source>下一位（叫号）</source>
            <translation>Next citizen (call number)</translation>
        </message>
        <message>
            <source>重呼当前号</source>
            <translation>Call the current number again</translation>
        </message>
        <message>
            <source>过号</source>
            <translation>Skip number</translation>
        </message>
        <message>
            <source>待上传业务（上传队列）</source>
            <translation>Cases waiting to upload (outbox)</translation>
        </message>
        <message>
            <source>受理（同 Ctrl+S）</source>
            <translation>Accept (also Ctrl+S)</translation>
        </message>
        <message>
            <source>打印预览当前文书</source>
            <translation>Print preview of the current document</translation>
        </message>
        <message>
            <source>今日工作小结</source>
            <translation>Day summary</translation>
        </message>
        <message>
            <source>业务查找</source>
            <translation>Find item</translation>
        </message>
        <message>
            <source>关闭当前业务</source>
            <translation>Close the current case</translation>
        </message>
        <message>
            <source>设为/取消常用事项</source>
            <translation>Add/remove favourite item</translation>
        </message>
        <message>
            <source>放大字体</source>
            <translation>Larger font</translation>
        </message>
        <message>
            <source>缩小字体</source>
            <translation>Smaller font</translation>
        </message>
        <message>
            <source>恢复字体大小</source>
            <translation>Reset font size</translation>
        </message>
        <message>
            <source>高对比度显示 开/关</source>
            <translation>High contrast on/off</translation>
        </message>
        <message>
            <source>跳到下一项（身份证号处回车即查询）</source>
            <translation>Next field (in the ID number field, Enter looks the person up)</translation>
        </message>
        <message>
            <source>按屏幕顺序前后移动</source>
            <translation>Move forwards/backwards in screen order</translation>
        </message>
        <message>
            <source>选择办理条件或材料状态（符合/已收取 …）</source>
            <translation>Choose a condition or material state (met/received …)</translation>
        </message>
        <message>
            <source>受理</source>
            <translation>Accept</translation>
        </message>
        <message>
            <source>关闭帮助或对话框</source>
            <translation>Close help or dialog</translation>
        </message>
    </context>
    <context>
        <name>KioskOnline</name>
        <message>
            <source>本机暂时未连接中心系统，此项业务暂停办理，请稍后再试或到窗口办理。</source>
            <translation>This kiosk is not connected to the central system; this service is unavailable. Try again later or go to a counter.</translation>
        </message>
        <message>
            <source>中心系统拒绝了本次请求，请到窗口办理。</source>
            <translation>The central system refused the request; please go to a counter.</translation>
        </message>
        <message>
            <source>暂时查不到您的认证信息。</source>
            <translation>Your certification data cannot be found right now.</translation>
        </message>
    </context>
    <context>
        <name>KioskPage</name>
        <message>
            <source>返回</source>
            <translation>Back</translation>
        </message>
    </context>
    <context>
        <name>KioskPerson</name>
        <message>
            <source>社保卡</source>
            <translation>Social security card</translation>
        </message>
        <message>
            <source>身份证</source>
            <translation>ID card</translation>
        </message>
    </context>
    <context>
        <name>KioskServices</name>
        <message>
            <source>打印机暂停服务，请到窗口办理</source>
            <translation>The printer is out of service; please go to a counter</translation>
        </message>
        <message>
            <source>网络暂时中断：{0}暂停办理，请到窗口办理。</source>
            <translation>The network is down: {0} is unavailable; please go to a counter.</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>个人权益记录单暂不能在本机打印。</source>
            <translation>The personal rights record cannot be printed at this kiosk yet.</translation>
        </message>
    </context>
    <context>
        <name>KioskShell</name>
        <message>
            <source>社会保险自助服务</source>
            <translation>Social insurance self-service</translation>
        </message>
        <message>
            <source>长辈模式</source>
            <translation>Senior mode</translation>
        </message>
        <message>
            <source>结束办理</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>%m月%d日 %H:%M</source>
            <translation>%m-%d %H:%M</translation>
        </message>
        <message>
            <source>已切换为长辈模式，字更大。</source>
            <translation>Senior mode on: larger text.</translation>
        </message>
        <message>
            <source>无法读取您的社会保障号码，请改用身份证，或到窗口办理。</source>
            <translation>Your social security number cannot be read; use your ID card instead, or go to a counter.</translation>
        </message>
        <message>
            <source>需要更多时间吗？</source>
            <translation>Do you need more time?</translation>
        </message>
        <message>
            <source>需要，继续办理</source>
            <translation>Yes, continue</translation>
        </message>
        <message>
            <source>不需要，结束</source>
            <translation>No, finish</translation>
        </message>
        <message>
            <source>{0} 秒后将自动结束办理，并清除您的信息。</source>
            <translation>In {0} seconds the session ends and your data is cleared.</translation>
        </message>
        <message>
            <source>读卡失败，请重新插卡（芯片朝上）。</source>
            <translation>Card reading failed; insert the card again (chip facing up).</translation>
        </message>
        <message>
            <source>读卡器暂停服务：可以点下方按钮查询办理进度，其他业务请到窗口办理。</source>
            <translation>The card reader is out of service: tap the button below for case progress; for anything else, go to a counter.</translation>
        </message>
    </context>
    <context>
        <name>LockOverlay</name>
        <message>
            <source>屏幕已锁定</source>
            <translation>Screen locked</translation>
        </message>
        <message>
            <source>柜员 {0} 长时间未操作，请输入密码解锁。未保存的业务已保留。</source>
            <translation>Clerk {0} has been idle; enter the password to unlock. Unsaved work is kept.</translation>
        </message>
        <message>
            <source>请输入密码</source>
            <translation>Enter password</translation>
        </message>
        <message>
            <source>解锁</source>
            <translation>Unlock</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>一窗 — 柜员登录</source>
            <translation>Yichuang — Clerk login</translation>
        </message>
        <message>
            <source>一窗 综合柜员系统</source>
            <translation>Yichuang counter system</translation>
        </message>
        <message>
            <source>终端 {0}</source>
            <translation>Terminal {0}</translation>
        </message>
        <message>
            <source>请输入工号</source>
            <translation>Enter staff ID</translation>
        </message>
        <message>
            <source>请输入密码</source>
            <translation>Enter password</translation>
        </message>
        <message>
            <source>手机验证器中的6位数字</source>
            <translation>The 6-digit code from the authenticator app</translation>
        </message>
        <message>
            <source>动态口令</source>
            <translation>One-time code</translation>
        </message>
        <message>
            <source>登录</source>
            <translation>Log in</translation>
        </message>
        <message>
            <source>退出</source>
            <translation>Exit</translation>
        </message>
        <message>
            <source>工号</source>
            <translation>Staff ID</translation>
        </message>
        <message>
            <source>密码</source>
            <translation>Password</translation>
        </message>
        <message>
            <source>中心系统：离线（可用本机缓存的凭据登录）</source>
            <translation>Central system: offline (you can log in with the credentials cached on this terminal)</translation>
        </message>
        <message>
            <source>请输入工号。</source>
            <translation>Please enter the staff ID.</translation>
        </message>
        <message>
            <source>请输入密码。</source>
            <translation>Please enter the password.</translation>
        </message>
        <message>
            <source>登录失败：系统内部错误，请联系管理员。</source>
            <translation>Login failed: internal error. Please contact the administrator.</translation>
        </message>
        <message>
            <source>密码已修改，正在登录…</source>
            <translation>Password changed, logging in…</translation>
        </message>
        <message>
            <source>正在登录…</source>
            <translation>Logging in…</translation>
        </message>
    </context>
    <context>
        <name>LookupPage</name>
        <message>
            <source>正在查询，请稍候…</source>
            <translation>Looking up, please wait…</translation>
        </message>
        <message>
            <source>暂时无法办理，请到窗口办理。</source>
            <translation>This cannot be done now; please go to a counter.</translation>
        </message>
    </context>
    <context>
        <name>LossDialog</name>
        <message>
            <source>登记死亡或被羁押</source>
            <translation>Register death or detention</translation>
        </message>
        <message>
            <source>报告人及与本人关系</source>
            <translation>Reporter and relationship to the person</translation>
        </message>
        <message>
            <source>社会保障号码</source>
            <translation>Social security number</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>情形</source>
            <translation>Situation</translation>
        </message>
        <message>
            <source>日期</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>报告人</source>
            <translation>Reporter</translation>
        </message>
        <message>
            <source>正在登记…</source>
            <translation>Recording…</translation>
        </message>
        <message>
            <source>登记失败，请核对后重试。</source>
            <translation>Recording failed. Check the entries and try again.</translation>
        </message>
    </context>
    <context>
        <name>MaterialList</name>
        <message>
            <source>{0}　【{1}】</source>
            <translation>{0}  [{1}]</translation>
        </message>
        <message>
            <source>　扫描件 {0} 份</source>
            <translation>  {0} scans</translation>
        </message>
        <message>
            <source>本业务无需材料</source>
            <translation>No materials needed for this case</translation>
        </message>
    </context>
    <context>
        <name>MaterialRow</name>
        <message>
            <source>信息共享获取（无需提供）</source>
            <translation>Obtained by data sharing (not required)</translation>
        </message>
        <message>
            <source>扫描/附件</source>
            <translation>Scan/attach</translation>
        </message>
        <message>
            <source>扫描/附件（{0}）</source>
            <translation>Scan/attach ({0})</translation>
        </message>
    </context>
    <context>
        <name>Materials</name>
        <message>
            <source>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</source>
            <translation>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</translation>
        </message>
        <message>
            <source>说明：{0}</source>
            <translation>Note: {0}</translation>
        </message>
        <message>
            <source>仅当：{0}</source>
            <translation>Only when: {0}</translation>
        </message>
        <message>
            <source>按情形提供（不作为受理条件）：{0}</source>
            <translation>As the case requires (not a condition for acceptance): {0}</translation>
        </message>
        <message>
            <source>收取材料（* 为须收取；缺少的将列入一次性告知书，告知承诺视同已收取）</source>
            <translation>Materials (* = required; missing ones go into the one-time notice of missing materials; a written commitment counts as received)</translation>
        </message>
    </context>
    <context>
        <name>MaterialsPanel</name>
        <message>
            <source>本事项无需收取材料</source>
            <translation>This item needs no materials</translation>
        </message>
        <message>
            <source>选择“{0}”的扫描件</source>
            <translation>Choose the scan of "{0}"</translation>
        </message>
        <message>
            <source>扫描件读取失败：{0}</source>
            <translation>Scan could not be read: {0}</translation>
        </message>
    </context>
    <context>
        <name>MenuPage</name>
        <message>
            <source>请选择要办理的业务。</source>
            <translation>Please choose a service.</translation>
        </message>
        <message>
            <source>您好，{0}</source>
            <translation>Hello, {0}</translation>
        </message>
        <message>
            <source>已读取您的{0}。请选择要办理的业务：</source>
            <translation>Your {0} was read. Please choose a service:</translation>
        </message>
        <message>
            <source>请选择要办理的业务</source>
            <translation>Please choose a service</translation>
        </message>
        <message>
            <source>结束办理</source>
            <translation>Finish</translation>
        </message>
    </context>
    <context>
        <name>MessageDialog</name>
        <message>
            <source>公民身份号码</source>
            <translation>Citizen ID number</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>联系电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <source>民族</source>
            <translation>Ethnic group</translation>
        </message>
        <message>
            <source>参保日期</source>
            <translation>Insured since</translation>
        </message>
        <message>
            <source>单位名称</source>
            <translation>Employer name</translation>
        </message>
        <message>
            <source>统一社会信用代码</source>
            <translation>Unified social credit code</translation>
        </message>
        <message>
            <source>待上传事项</source>
            <translation>Outbox entry</translation>
        </message>
        <message>
            <source>该事项已不存在。</source>
            <translation>This entry no longer exists.</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>受理编号 / 对象</source>
            <translation>Case number / subject</translation>
        </message>
        <message>
            <source>事项</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>发送次数</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>生成时间</source>
            <translation>Created</translation>
        </message>
        <message>
            <source>最近发送</source>
            <translation>Last attempt</translation>
        </message>
        <message>
            <source>中心答复</source>
            <translation>Centre reply</translation>
        </message>
        <message>
            <source>无</source>
            <translation>None</translation>
        </message>
        <message>
            <source>原因</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>等待</source>
            <translation>Waiting for</translation>
        </message>
        <message>
            <source>更正后重新提交</source>
            <translation>Correct and resubmit</translation>
        </message>
        <message>
            <source>更正说明（将随业务提交中心）</source>
            <translation>Note on the correction (sent to the centre with the case)</translation>
        </message>
        <message>
            <source>说明</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>重试上传</source>
            <translation>Retry upload</translation>
        </message>
        <message>
            <source>更正并重新提交</source>
            <translation>Correct and resubmit</translation>
        </message>
        <message>
            <source>放弃上传该扫描件</source>
            <translation>Give up uploading this scan</translation>
        </message>
        <message>
            <source>处理信息冲突</source>
            <translation>Resolve conflict</translation>
        </message>
        <message>
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>操作失败：系统内部错误</source>
            <translation>Operation failed: internal error</translation>
        </message>
        <message>
            <source>已重新排队，网络可用时自动上传。</source>
            <translation>Queued again; it uploads automatically when the network is available.</translation>
        </message>
        <message>
            <source>已更正并重新排队提交。</source>
            <translation>Corrected and queued for resubmission.</translation>
        </message>
        <message>
            <source>放弃上传扫描件</source>
            <translation>Give up uploading the scan</translation>
        </message>
        <message>
            <source>原因（记入审计日志）：</source>
            <translation>Reason (recorded in the audit log):</translation>
        </message>
        <message>
            <source>已放弃上传该扫描件，业务将继续上传；请补扫该材料。</source>
            <translation>Upload of the scan abandoned; the case continues to upload. Please scan the material again.</translation>
        </message>
        <message>
            <source>冲突已处理。</source>
            <translation>Conflict resolved.</translation>
        </message>
    </context>
    <context>
        <name>OnScreenKeyboard</name>
        <message>
            <source>清空</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>删除</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>大写</source>
            <translation>Caps</translation>
        </message>
    </context>
    <context>
        <name>OnlinePanel</name>
        <message>
            <source>人社网上服务大厅或“内蒙古人社”APP</source>
            <translation>the online service hall or the "Inner Mongolia HRSS" app</translation>
        </message>
        <message>
            <source>网上办理地址：{0}</source>
            <translation>Online at: {0}</translation>
        </message>
        <message>
            <source>本事项网上办理，窗口不受理</source>
            <translation>This item is handled online, not at the counter</translation>
        </message>
        <message>
            <source>请引导申请人通过网上办理渠道提交“{0}”。可协助其在自助终端或手机上操作。</source>
            <translation>Please direct the applicant to submit "{0}" online. You may help on a kiosk or their phone.</translation>
        </message>
        <message>
            <source>本事项须联网办理，当前中心系统离线</source>
            <translation>This item needs the network; the central system is offline</translation>
        </message>
        <message>
            <source>“{0}”须联网办理：{1}。请待网络恢复后办理，或引导申请人网上办理。</source>
            <translation>"{0}" needs the network: {1}. Handle it when the network is back, or direct the applicant online.</translation>
        </message>
    </context>
    <context>
        <name>OutboxModel</name>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>受理编号 / 对象</source>
            <translation>Case number / subject</translation>
        </message>
        <message>
            <source>事项</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>身份号码</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>发送次数</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>原因</source>
            <translation>Reason</translation>
        </message>
    </context>
    <context>
        <name>OutboxScreen</name>
        <message>
            <source>待上传与上传结果</source>
            <translation>Outbox and upload results</translation>
        </message>
        <message>
            <source>搜索：受理编号、姓名、身份号码、事项</source>
            <translation>Search: case number, name, ID number, item</translation>
        </message>
        <message>
            <source>打开</source>
            <translation>Open</translation>
        </message>
        <message>
            <source>重试全部失败项</source>
            <translation>Retry all failed</translation>
        </message>
        <message>
            <source>立即同步</source>
            <translation>Sync now</translation>
        </message>
        <message>
            <source>共 {0} 条</source>
            <translation>{0} entries</translation>
        </message>
        <message>
            <source>尚未成功同步</source>
            <translation>Not synced yet</translation>
        </message>
        <message>
            <source>最近一次成功同步：{0}　待上传：{1}　需处理：{2}</source>
            <translation>Last successful sync: {0}  Waiting: {1}  Needs attention: {2}</translation>
        </message>
        <message>
            <source>读取失败</source>
            <translation>Loading failed</translation>
        </message>
    </context>
    <context>
        <name>Outcome</name>
        <message>
            <source>承诺办结日期 {0}</source>
            <translation>Promised completion {0}</translation>
        </message>
        <message>
            <source>承诺时限：{0}</source>
            <translation>Promised time: {0}</translation>
        </message>
        <message>
            <source>已办结</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>已受理</source>
            <translation>Accepted</translation>
        </message>
        <message>
            <source>{0}，受理编号 {1}，{2}。</source>
            <translation>{0}, case number {1}, {2}.</translation>
        </message>
        <message>
            <source>受理回执</source>
            <translation>Receipt</translation>
        </message>
        <message>
            <source>一次性告知书</source>
            <translation>One-time notice of missing materials</translation>
        </message>
        <message>
            <source>不予受理通知书</source>
            <translation>Notice of non-acceptance</translation>
        </message>
        <message>
            <source>但{0}生成失败：{1}</source>
            <translation>but the {0} could not be created: {1}</translation>
        </message>
        <message>
            <source>{0}已生成，请打开打印交申请人。</source>
            <translation>{0} created; open it and print it for the applicant.</translation>
        </message>
        <message>
            <source>正在生成{0}…</source>
            <translation>Creating {0}…</translation>
        </message>
        <message>
            <source>材料不齐，已生成一次性告知书</source>
            <translation>Materials incomplete: one-time notice of missing materials created</translation>
        </message>
        <message>
            <source>材料不齐，一次性告知补正</source>
            <translation>Materials incomplete: one-time notice of missing materials</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>{0}（受理编号 {1}，待补正）。缺：{2}。</source>
            <translation>{0} (case number {1}, awaiting materials). Missing: {2}.</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>不予受理（受理编号 {0}）。理由：{1}。</source>
            <translation>Not accepted (case number {0}). Reason: {1}.</translation>
        </message>
        <message>
            <source>已告知补正</source>
            <translation>Missing materials notified</translation>
        </message>
        <message>
            <source>不予受理</source>
            <translation>Do not accept</translation>
        </message>
    </context>
    <context>
        <name>PagesCard</name>
        <message>
            <source>社保卡卡号</source>
            <translation>Card number</translation>
        </message>
        <message>
            <source>发卡银行</source>
            <translation>Issuing bank</translation>
        </message>
        <message>
            <source>发卡日期</source>
            <translation>Issued on</translation>
        </message>
    </context>
    <context>
        <name>PagesQueue</name>
        <message>
            <source>请留意大厅叫号屏和语音叫号；过号请重新取号。</source>
            <translation>Watch the hall display and listen for the call; if your number is skipped, take a new one.</translation>
        </message>
        <message>
            <source>自助终端 {0}</source>
            <translation>Self-service terminal {0}</translation>
        </message>
    </context>
    <context>
        <name>ParameterAdminScreen</name>
        <message>
            <source>参数</source>
            <translation>Parameter</translation>
        </message>
        <message>
            <source>代码</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>地区</source>
            <translation>Region</translation>
        </message>
        <message>
            <source>期间</source>
            <translation>Period</translation>
        </message>
        <message>
            <source>取值</source>
            <translation>Value</translation>
        </message>
        <message>
            <source>来源</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>类别</source>
            <translation>Category</translation>
        </message>
        <message>
            <source>测算参数管理</source>
            <translation>Calculation parameters</translation>
        </message>
        <message>
            <source>标为“示例值”的参数不是官方公布值。请导入自治区（或盟市、旗县）公布的官方参数文件；导入的值优先于内置值，新年度只需导入新的数据文件。</source>
            <translation>Parameters marked "sample value" are not official. Import the official parameter file published by the region (league/city or banner/county); imported values take precedence over built-in ones, and a new year only needs a new data file.</translation>
        </message>
        <message>
            <source>按参数名称、代码或地区筛选</source>
            <translation>Filter by parameter name, code or region</translation>
        </message>
        <message>
            <source>只看示例值</source>
            <translation>Sample values only</translation>
        </message>
        <message>
            <source>导入官方参数文件…</source>
            <translation>Import official parameter file…</translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>；{0}</source>
            <translation>; {0}</translation>
        </message>
        <message>
            <source>示例值</source>
            <translation>Sample value</translation>
        </message>
        <message>
            <source>导入失败，未做任何更改：{0}</source>
            <translation>Import failed, nothing was changed: {0}</translation>
        </message>
        <message>
            <source>导入失败：无法读取或保存文件（{0}）</source>
            <translation>Import failed: the file could not be read or saved ({0})</translation>
        </message>
        <message>
            <source>已导入 {0} 项参数（{1}）。</source>
            <translation>{0} parameters imported ({1}).</translation>
        </message>
        <message>
            <source>其中 {0} 项仍标为示例值。</source>
            <translation>{0} of them are still marked as sample values.</translation>
        </message>
    </context>
    <context>
        <name>PasswordChangeDialog</name>
        <message>
            <source>修改密码</source>
            <translation>Change password</translation>
        </message>
        <message>
            <source>密码已过期，请设置新密码后再登录。</source>
            <translation>Your password has expired. Set a new password, then log in.</translation>
        </message>
        <message>
            <source>原密码</source>
            <translation>Current password</translation>
        </message>
        <message>
            <source>新密码</source>
            <translation>New password</translation>
        </message>
        <message>
            <source>再次输入新密码</source>
            <translation>Repeat the new password</translation>
        </message>
        <message>
            <source>工号</source>
            <translation>Staff ID</translation>
        </message>
        <message>
            <source>再次输入</source>
            <translation>Repeat</translation>
        </message>
        <message>
            <source>修改</source>
            <translation>Change</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>请输入原密码和新密码。</source>
            <translation>Enter the current and the new password.</translation>
        </message>
        <message>
            <source>两次输入的新密码不一致，请重新输入。</source>
            <translation>The two new passwords differ; please enter them again.</translation>
        </message>
        <message>
            <source>修改密码失败：系统内部错误，请联系管理员。</source>
            <translation>Changing the password failed: internal error. Please contact the administrator.</translation>
        </message>
    </context>
    <context>
        <name>PersonLookup</name>
        <message>
            <source>正在查询中心系统…</source>
            <translation>Querying the central system…</translation>
        </message>
        <message>
            <source>中心系统离线，请手工录入</source>
            <translation>Central system offline, please enter by hand</translation>
        </message>
        <message>
            <source>，请手工录入</source>
            <translation>, please enter by hand</translation>
        </message>
        <message>
            <source>查询失败，请手工录入</source>
            <translation>Look-up failed, please enter by hand</translation>
        </message>
    </context>
    <context>
        <name>PinyinPicker</name>
        <message>
            <source>删除</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>拼音</source>
            <translation>Pinyin</translation>
        </message>
    </context>
    <context>
        <name>Print</name>
        <message>
            <source>PDF 文件（无打印机时）</source>
            <translation>PDF file (no printer)</translation>
        </message>
        <message>
            <source>请选择 PDF 文件的保存位置。</source>
            <translation>Choose where to save the PDF file.</translation>
        </message>
        <message>
            <source>打印机“{0}”不可用，请检查打印机或选择其他打印机。</source>
            <translation>Printer "{0}" is not available. Check it or choose another printer.</translation>
        </message>
        <message>
            <source>份数应在 1 到 99 之间。</source>
            <translation>Copies must be between 1 and 99.</translation>
        </message>
        <message>
            <source>业务尚未保存，不能打印。请先完成受理保存。</source>
            <translation>The case is not saved yet and cannot be printed. Accept and save it first.</translation>
        </message>
        <message>
            <source>无法连接打印机“{0}”，请检查打印机是否开机、联网。</source>
            <translation>Cannot reach printer "{0}". Check that it is switched on and connected.</translation>
        </message>
        <message>
            <source>文书页面读取失败，请重试。</source>
            <translation>Document page could not be read, please try again.</translation>
        </message>
        <message>
            <source>打印机拒绝了下一页，请检查打印机。</source>
            <translation>The printer refused the next page. Please check the printer.</translation>
        </message>
        <message>
            <source>PDF 文件保存失败，请检查保存位置后重试。</source>
            <translation>The PDF file could not be saved; check the location and try again.</translation>
        </message>
    </context>
    <context>
        <name>PrintPages</name>
        <message>
            <source>缺少 PDF 渲染组件（poppler 的 pdftoppm），无法预览和打印，请联系管理员安装。</source>
            <translation>The PDF renderer (poppler's pdftoppm) is missing, so nothing can be previewed or printed. Ask the administrator to install it.</translation>
        </message>
        <message>
            <source>找不到要打印的文书：{0}</source>
            <translation>Document to print not found: {0}</translation>
        </message>
        <message>
            <source>文书页面渲染失败，请重试。</source>
            <translation>Rendering the document failed, please try again.</translation>
        </message>
        <message>
            <source>文书无法打开（文件可能已损坏），请重新生成后再打印。</source>
            <translation>The document cannot be opened (the file may be damaged). Regenerate it, then print.</translation>
        </message>
        <message>
            <source>文书没有可打印的页面。</source>
            <translation>The document has no printable page.</translation>
        </message>
    </context>
    <context>
        <name>PrintPreviewDialog</name>
        <message>
            <source>打印预览 — {0}</source>
            <translation>Print preview — {0}</translation>
        </message>
        <message>
            <source>正在生成预览…</source>
            <translation>Creating preview…</translation>
        </message>
        <message>
            <source> 份</source>
            <translation> copies</translation>
        </message>
        <message>
            <source>打印 (Ctrl+P)</source>
            <translation>Print (Ctrl+P)</translation>
        </message>
        <message>
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>本机未安装打印机，可选择“{0}”另存。</source>
            <translation>No printer is installed; choose "{0}" to save a copy.</translation>
        </message>
        <message>
            <source>打印机</source>
            <translation>Printer</translation>
        </message>
        <message>
            <source>份数</source>
            <translation>Copies</translation>
        </message>
        <message>
            <source>共 {0} 页</source>
            <translation>{0} pages</translation>
        </message>
        <message>
            <source>预览失败</source>
            <translation>Preview failed</translation>
        </message>
        <message>
            <source>预览失败：{0}</source>
            <translation>Preview failed: {0}</translation>
        </message>
        <message>
            <source>保存为 PDF</source>
            <translation>Save as PDF</translation>
        </message>
        <message>
            <source>正在打印…</source>
            <translation>Printing…</translation>
        </message>
        <message>
            <source>已发送打印：{0} 份 × {1} 页（{2}）</source>
            <translation>Sent to print: {0} copies × {1} pages ({2})</translation>
        </message>
        <message>
            <source>打印失败：{0}</source>
            <translation>Printing failed: {0}</translation>
        </message>
    </context>
    <context>
        <name>PrinterCheck</name>
        <message>
            <source>打印机缺纸，请到窗口办理</source>
            <translation>The printer is out of paper; please go to a counter</translation>
        </message>
    </context>
    <context>
        <name>ProgressPage</name>
        <message>
            <source>查询办理进度。请扫描回执上的二维码，或输入受理编号。</source>
            <translation>Case progress. Scan the QR code on the receipt or enter the case number.</translation>
        </message>
        <message>
            <source>查询办理进度</source>
            <translation>Case progress</translation>
        </message>
        <message>
            <source>输入受理编号（回执上方的编号）：</source>
            <translation>Enter the case number (at the top of the receipt):</translation>
        </message>
        <message>
            <source>例如 150102-T01-20260301-0007</source>
            <translation>e.g. 150102-T01-20260301-0007</translation>
        </message>
        <message>
            <source>请把回执上的二维码对准拍摄区</source>
            <translation>Hold the QR code of the receipt to the camera area</translation>
        </message>
        <message>
            <source>返回</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>结束查询</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>扫描二维码</source>
            <translation>Scan QR code</translation>
        </message>
        <message>
            <source>改为输入编号</source>
            <translation>Type the number instead</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Look up</translation>
        </message>
        <message>
            <source>本机没有查到您的业务。如在窗口办理，请输入回执上的受理编号。</source>
            <translation>No case of yours was found here. If you applied at a counter, enter the case number from the receipt.</translation>
        </message>
        <message>
            <source>查询结果会显示在这里。</source>
            <translation>The result appears here.</translation>
        </message>
        <message>
            <source>您的业务：</source>
            <translation>Your case:</translation>
        </message>
        <message>
            <source>系统暂时无法查询，请稍后再试或到窗口咨询。</source>
            <translation>The system cannot search right now. Try again later or ask at a counter.</translation>
        </message>
        <message>
            <source>没有找到该受理编号，请核对后重新输入；在其他窗口办理的业务请拨打12333查询。</source>
            <translation>Case number not found; check it and enter it again. For cases handled elsewhere, call 12333.</translation>
        </message>
        <message>
            <source>当前状态：{0}。</source>
            <translation>Status: {0}.</translation>
        </message>
        <message>
            <source>请把回执上的二维码对准拍摄区。</source>
            <translation>Hold the QR code of the receipt to the camera area.</translation>
        </message>
        <message>
            <source>没有识别到二维码，请输入受理编号。</source>
            <translation>No QR code recognised; please enter the case number.</translation>
        </message>
    </context>
    <context>
        <name>QueueCalling</name>
        <message>
            <source>叫号状态</source>
            <translation>Queue status</translation>
        </message>
        <message>
            <source>本窗口未启用叫号系统（配置 [queue] backend），请按顺序接待群众。</source>
            <translation>Queue calling is off at this counter ([queue] backend); serve people in order.</translation>
        </message>
        <message>
            <source>正在叫号…</source>
            <translation>Calling…</translation>
        </message>
        <message>
            <source>正在重呼…</source>
            <translation>Calling again…</translation>
        </message>
        <message>
            <source>正在过号…</source>
            <translation>Skipping…</translation>
        </message>
        <message>
            <source>当前没有正在接待的号码，请先按 F8 叫号。</source>
            <translation>No number is being served; press F8 to call one.</translation>
        </message>
        <message>
            <source>当前无人等候。</source>
            <translation>Nobody is waiting.</translation>
        </message>
        <message>
            <source>请 {0} 号到 {1} 号窗口办理：{2}</source>
            <translation>Number {0} to counter {1}: {2}</translation>
        </message>
        <message>
            <source>{0} 已过号，按 F8 叫下一位。</source>
            <translation>{0} skipped; press F8 for the next one.</translation>
        </message>
        <message>
            <source>已重呼 {0}（第 {1} 次）</source>
            <translation>Called {0} again (time {1})</translation>
        </message>
        <message>
            <source>叫号失败：系统内部错误，请按顺序接待群众并联系管理员。</source>
            <translation>Calling failed: internal error. Serve people in order and contact the administrator.</translation>
        </message>
        <message>
            <source>叫号：未启用</source>
            <translation>Queue: off</translation>
        </message>
        <message>
            <source>叫号：按 F8 叫下一位</source>
            <translation>Queue: press F8 for the next number</translation>
        </message>
        <message>
            <source>当前 {0}｜{1}</source>
            <translation>Serving {0} | {1}</translation>
        </message>
        <message>
            <source>｜等候 {0} 人</source>
            <translation> | {0} waiting</translation>
        </message>
        <message>
            <source>下一位 F8，重呼 Shift+F8，过号 Ctrl+F8</source>
            <translation>Next F8, call again Shift+F8, skip Ctrl+F8</translation>
        </message>
    </context>
    <context>
        <name>QueuePage</name>
        <message>
            <source>取号。请选择要办理的业务类别。</source>
            <translation>Take a number. Choose the kind of service.</translation>
        </message>
        <message>
            <source>取号</source>
            <translation>Take a number</translation>
        </message>
        <message>
            <source>请选择要到窗口办理的业务类别：</source>
            <translation>Choose the kind of service for the counter:</translation>
        </message>
        <message>
            <source>{0} 字头</source>
            <translation>Numbers {0}</translation>
        </message>
        <message>
            <source>结束</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>正在取号，请稍候…</source>
            <translation>Taking a number, please wait…</translation>
        </message>
        <message>
            <source>前面还有 {0} 人等候。</source>
            <translation>{0} people waiting before you.</translation>
        </message>
        <message>
            <source>业务类别</source>
            <translation>Service kind</translation>
        </message>
        <message>
            <source>您的排队号。{0}请留意大厅叫号屏和语音叫号。</source>
            <translation>Your queue number. {0}Watch the hall display and listen for the call.</translation>
        </message>
        <message>
            <source>您的排队号是 {0}。</source>
            <translation>Your queue number is {0}.</translation>
        </message>
        <message>
            <source>凭条打印机缺纸或故障，未能打印：请记下屏幕上的排队号。</source>
            <translation>The ticket printer is out of paper or faulty: please note the queue number on the screen.</translation>
        </message>
        <message>
            <source>排队凭条已打印，请取走。</source>
            <translation>Ticket printed; please take it.</translation>
        </message>
        <message>
            <source>凭条未能打印：请记下屏幕上的排队号。</source>
            <translation>The ticket could not be printed: please note the queue number on the screen.</translation>
        </message>
    </context>
    <context>
        <name>RatingDialog</name>
        <message>
            <source>非常满意</source>
            <translation>Very satisfied</translation>
        </message>
        <message>
            <source>满意</source>
            <translation>Satisfied</translation>
        </message>
        <message>
            <source>基本满意</source>
            <translation>Fairly satisfied</translation>
        </message>
        <message>
            <source>不满意</source>
            <translation>Dissatisfied</translation>
        </message>
        <message>
            <source>非常不满意</source>
            <translation>Very dissatisfied</translation>
        </message>
        <message>
            <source>服务评价</source>
            <translation>Service rating</translation>
        </message>
        <message>
            <source>请您对本次服务进行评价</source>
            <translation>Please rate this service</translation>
        </message>
        <message>
            <source>意见或建议（选填）</source>
            <translation>Comments or suggestions (optional)</translation>
        </message>
        <message>
            <source>提交评价</source>
            <translation>Submit rating</translation>
        </message>
        <message>
            <source>暂不评价</source>
            <translation>Not now</translation>
        </message>
        <message>
            <source>受理编号 {0}　　{1}　　{2}</source>
            <translation>Case {0}    {1}    {2}</translation>
        </message>
    </context>
    <context>
        <name>RatingPage</name>
        <message>
            <source>请您对本次服务进行评价。</source>
            <translation>Please rate this service.</translation>
        </message>
        <message>
            <source>请您对本次服务进行评价</source>
            <translation>Please rate this service</translation>
        </message>
        <message>
            <source>您的评价会帮助我们改进服务（好差评）。</source>
            <translation>Your rating helps us improve our service.</translation>
        </message>
        <message>
            <source>不评价，结束</source>
            <translation>No rating, finish</translation>
        </message>
        <message>
            <source>感谢您的评价！</source>
            <translation>Thank you for your rating!</translation>
        </message>
        <message>
            <source>感谢您的评价。</source>
            <translation>Thank you for your rating.</translation>
        </message>
    </context>
    <context>
        <name>ReasonDialog</name>
        <message>
            <source>请填写原因（必填），将记入办理记录并告知经办人</source>
            <translation>Enter the reason (required); it is recorded in the case history and told to the clerk</translation>
        </message>
        <message>
            <source>确定</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>原因不能超过 {0} 字</source>
            <translation>The reason may have at most {0} characters</translation>
        </message>
        <message>
            <source>必须填写原因</source>
            <translation>A reason is required</translation>
        </message>
    </context>
    <context>
        <name>ResumeForm</name>
        <message>
            <source>受理编号 {0}　　申请人 {1}（{2}）　　一次性告知时间 {3}　　当前状态：{4}</source>
            <translation>Case {0}    Applicant {1} ({2})    Notice of missing materials given {3}    Status: {4}</translation>
        </message>
        <message>
            <source>继续受理 (Ctrl+S)</source>
            <translation>Continue accepting (Ctrl+S)</translation>
        </message>
        <message>
            <source>打开受理回执</source>
            <translation>Open receipt</translation>
        </message>
        <message>
            <source>补正材料（一次性告知书所列，逐项核验；告知承诺视同已收取）</source>
            <translation>Supplementary materials (as listed in the one-time notice of missing materials; check each; a written commitment counts as received)</translation>
        </message>
        <message>
            <source>正在受理，请稍候…</source>
            <translation>Accepting, please wait…</translation>
        </message>
        <message>
            <source>正在生成受理回执…</source>
            <translation>Creating the receipt…</translation>
        </message>
        <message>
            <source>补正材料已齐，继续受理：受理编号 {0}，当前状态 {1}，{2}。</source>
            <translation>Materials complete, case continued: case number {0}, status {1}, {2}.</translation>
        </message>
        <message>
            <source>受理回执已生成，请打开打印交申请人。</source>
            <translation>Receipt created; open it and print it for the applicant.</translation>
        </message>
        <message>
            <source>系统内部错误</source>
            <translation>Internal error</translation>
        </message>
        <message>
            <source>重新生成受理回执</source>
            <translation>Regenerate the receipt</translation>
        </message>
        <message>
            <source>但受理回执生成失败：{0}</source>
            <translation>but the receipt could not be created: {0}</translation>
        </message>
    </context>
    <context>
        <name>Review</name>
        <message>
            <source>无时限</source>
            <translation>No time limit</translation>
        </message>
        <message>
            <source>日历缺失</source>
            <translation>Calendar missing</translation>
        </message>
        <message>
            <source>已办结</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>个工作日</source>
            <translation>working days</translation>
        </message>
        <message>
            <source>天</source>
            <translation>days</translation>
        </message>
        <message>
            <source>今日到期</source>
            <translation>Due today</translation>
        </message>
        <message>
            <source>{0} {1}</source>
            <translation>{0} {1}</translation>
        </message>
        <message>
            <source>超期 {0} {1}</source>
            <translation>Overdue by {0} {1}</translation>
        </message>
        <message>
            <source>（暂停计时）</source>
            <translation> (paused)</translation>
        </message>
    </context>
    <context>
        <name>ReviewPanel</name>
        <message>
            <source>请申请人评价（好差评）</source>
            <translation>Ask the applicant to rate the service</translation>
        </message>
        <message>
            <source>正在读取业务…</source>
            <translation>Loading the case…</translation>
        </message>
        <message>
            <source>登记信息</source>
            <translation>Registration data</translation>
        </message>
        <message>
            <source>材料</source>
            <translation>Materials</translation>
        </message>
        <message>
            <source>扫描件（点击材料或缩略图查看，双击缩略图用外部程序打开）</source>
            <translation>Scans (click a material or thumbnail to view; double-click a thumbnail to open it in another program)</translation>
        </message>
        <message>
            <source>办理记录</source>
            <translation>Case history</translation>
        </message>
        <message>
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>中止</source>
            <translation>Suspend</translation>
        </message>
        <message>
            <source>恢复办理</source>
            <translation>Resume</translation>
        </message>
        <message>
            <source>不予通过/终止</source>
            <translation>Reject/terminate</translation>
        </message>
        <message>
            <source>退回</source>
            <translation>Return</translation>
        </message>
        <message>
            <source>补正完成</source>
            <translation>Materials complete</translation>
        </message>
        <message>
            <source>提交审核</source>
            <translation>Submit for review</translation>
        </message>
        <message>
            <source>办结</source>
            <translation>Complete</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approve</translation>
        </message>
        <message>
            <source>系统内部错误</source>
            <translation>Internal error</translation>
        </message>
        <message>
            <source>业务读取失败：{0}</source>
            <translation>The case could not be loaded: {0}</translation>
        </message>
        <message>
            <source>受理编号 {0}　　申请人 {1}（{2}）　　受理日 {3}　　受理人 {4}</source>
            <translation>Case {0}    Applicant {1} ({2})    Accepted {3}    By {4}</translation>
        </message>
        <message>
            <source>承诺时限 {0}　承诺办结日 {1}　剩余 {2}</source>
            <translation>Promised time {0}  Promised by {1}  Remaining {2}</translation>
        </message>
        <message>
            <source>风险点：{0}{1}</source>
            <translation>Risk: {0}{1}</translation>
        </message>
        <message>
            <source>　防控：{0}</source>
            <translation>  Control: {0}</translation>
        </message>
        <message>
            <source>终止办理</source>
            <translation>Terminate</translation>
        </message>
        <message>
            <source>重新提交审核</source>
            <translation>Resubmit for review</translation>
        </message>
        <message>
            <source>本业务{0}，无需再办理。</source>
            <translation>This case is {0}; nothing more to do.</translation>
        </message>
        <message>
            <source>您的岗位不能处理“{0}”的业务。</source>
            <translation>Your role cannot handle cases that are "{0}".</translation>
        </message>
        <message>
            <source>请填写退回原因，业务将退回受理人补充或更正：</source>
            <translation>Enter why the case is returned; it goes back to the accepting clerk to add or correct:</translation>
        </message>
        <message>
            <source>不予通过/终止办理</source>
            <translation>Reject/terminate the case</translation>
        </message>
        <message>
            <source>终止后本业务结束，不能恢复。请填写不予通过或终止的理由及依据：</source>
            <translation>Terminating ends the case for good. Enter the reason and the legal basis:</translation>
        </message>
        <message>
            <source>请填写中止原因（中止期间不计算办理时限）：</source>
            <translation>Enter why the case is suspended (the time limit pauses meanwhile):</translation>
        </message>
        <message>
            <source>正在办理，请稍候…</source>
            <translation>Processing, please wait…</translation>
        </message>
        <message>
            <source>操作失败：系统内部错误，业务状态未改变。请联系管理员。</source>
            <translation>Operation failed: internal error, the case status is unchanged. Please contact the administrator.</translation>
        </message>
        <message>
            <source>已{0}（{1}），当前状态：{2}。</source>
            <translation>Done: {0} ({1}), status now: {2}.</translation>
        </message>
        <message>
            <source>；待补：{0}</source>
            <translation>; still missing: {0}</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>已办结并归档，档号 {0}{1}</source>
            <translation>Completed and archived, archive number {0}{1}</translation>
        </message>
        <message>
            <source>归档失败：{0}</source>
            <translation>Archiving failed: {0}</translation>
        </message>
        <message>
            <source>已记录申请人评价。</source>
            <translation>The applicant's rating is recorded.</translation>
        </message>
        <message>
            <source>评价未能保存，请重试；仍不行请联系管理员。</source>
            <translation>The rating could not be saved. Try again; if it still fails, contact the administrator.</translation>
        </message>
    </context>
    <context>
        <name>ReviewQueueWidget</name>
        <message>
            <source>受理编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>事项</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>申请人</source>
            <translation>Applicant</translation>
        </message>
        <message>
            <source>公民身份号码</source>
            <translation>Citizen ID number</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>受理日</source>
            <translation>Accepted on</translation>
        </message>
        <message>
            <source>承诺办结日</source>
            <translation>Promised by</translation>
        </message>
        <message>
            <source>剩余</source>
            <translation>Remaining</translation>
        </message>
        <message>
            <source>无</source>
            <translation>None</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>我的待办（{0}）</source>
            <translation>My queue ({0})</translation>
        </message>
        <message>
            <source>我的待办（{0}）：{1} 件</source>
            <translation>My queue ({0}): {1} cases</translation>
        </message>
        <message>
            <source>您的岗位没有待办的审核业务</source>
            <translation>Your role has no cases to review</translation>
        </message>
        <message>
            <source>暂无待办业务</source>
            <translation>No cases waiting</translation>
        </message>
    </context>
    <context>
        <name>RightsPage</name>
        <message>
            <source>打印个人权益记录单。</source>
            <translation>Print the personal rights record.</translation>
        </message>
        <message>
            <source>打印个人权益记录单</source>
            <translation>Print personal rights record</translation>
        </message>
        <message>
            <source>打印</source>
            <translation>Print</translation>
        </message>
        <message>
            <source>将打印您本人的《社会保险个人权益记录单》（A4 纸），包括参保、缴费和个人账户记录。
打印件含有您的个人信息，请妥善保管。</source>
            <translation>Your personal social insurance rights record will be printed (A4), with insurance, contribution and personal account records.
The printout contains your personal data; keep it safe.</translation>
        </message>
        <message>
            <source>个人权益记录单打印暂不可用：本机尚未接入中心的权益记录查询。
请到人工窗口办理，或拨打 12333 咨询。</source>
            <translation>Printing the personal rights record is not available yet: this kiosk is not connected to the centre's rights record service.
Please go to a staffed counter, or call 12333.</translation>
        </message>
        <message>
            <source>网络暂时中断，个人权益记录单暂不能打印。请到窗口办理。</source>
            <translation>The network is down; the personal rights record cannot be printed now. Please go to a counter.</translation>
        </message>
        <message>
            <source>正在查询并打印，请稍候…</source>
            <translation>Looking up and printing, please wait…</translation>
        </message>
        <message>
            <source>社会保险个人权益记录单</source>
            <translation>Personal social insurance rights record</translation>
        </message>
        <message>
            <source>打印完成，请从下方出纸口取走打印件。</source>
            <translation>Printed. Please take the printout from the slot below.</translation>
        </message>
        <message>
            <source>验证码：{0}</source>
            <translation>Verification code: {0}</translation>
        </message>
        <message>
            <source>打印完成，请取走打印件。</source>
            <translation>Printed. Please take the printout.</translation>
        </message>
        <message>
            <source>打印失败</source>
            <translation>Printing failed</translation>
        </message>
        <message>
            <source>打印机缺纸，请到窗口办理</source>
            <translation>The printer is out of paper; please go to a counter</translation>
        </message>
        <message>
            <source>。请到窗口办理。</source>
            <translation>. Please go to a counter.</translation>
        </message>
    </context>
    <context>
        <name>RiskBox</name>
        <message>
            <source>⚠ 风险点：{0}</source>
            <translation>⚠ Risk: {0}</translation>
        </message>
        <message>
            <source>　防控：{0}</source>
            <translation>  Control: {0}</translation>
        </message>
    </context>
    <context>
        <name>ScanViewer</name>
        <message>
            <source>扫描件无法读取</source>
            <translation>The scan cannot be read</translation>
        </message>
        <message>
            <source>非图片文件（如 PDF），双击缩略图用外部程序打开</source>
            <translation>Not an image (e.g. a PDF); double-click the thumbnail to open it in another program</translation>
        </message>
        <message>
            <source>无法解码该图片</source>
            <translation>The image cannot be decoded</translation>
        </message>
        <message>
            <source>本业务没有扫描件</source>
            <translation>This case has no scans</translation>
        </message>
        <message>
            <source>正在读取扫描件…</source>
            <translation>Loading scans…</translation>
        </message>
        <message>
            <source>扫描件读取失败</source>
            <translation>Scans could not be loaded</translation>
        </message>
        <message>
            <source>本机数据已加密，扫描件只能在本窗口查看</source>
            <translation>Data on this terminal is encrypted; scans can only be viewed in this window</translation>
        </message>
    </context>
    <context>
        <name>SecondStaffDialog</name>
        <message>
            <source>第二名工作人员确认</source>
            <translation>Second staff member confirmation</translation>
        </message>
        <message>
            <source>请在场的另一名工作人员输入本人工号和密码，确认与{0}共同完成对“{1}”的走访。</source>
            <translation>The second staff member present enters their own staff ID and password to confirm the visit to "{1}" together with {0}.</translation>
        </message>
        <message>
            <source>该人员</source>
            <translation>this person</translation>
        </message>
        <message>
            <source>工号</source>
            <translation>Staff ID</translation>
        </message>
        <message>
            <source>密码</source>
            <translation>Password</translation>
        </message>
        <message>
            <source>确认在场</source>
            <translation>Confirm presence</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>正在核验…</source>
            <translation>Verifying…</translation>
        </message>
        <message>
            <source>已确认：{0}</source>
            <translation>Confirmed: {0}</translation>
        </message>
        <message>
            <source>核验失败，请重试。</source>
            <translation>Verification failed, please try again.</translation>
        </message>
    </context>
    <context>
        <name>ServiceEntry</name>
        <message>
            <source>待遇领取资格认证</source>
            <translation>Benefit eligibility certification</translation>
        </message>
        <message>
            <source>刷脸认证，每年一次</source>
            <translation>Face certification, once a year</translation>
        </message>
        <message>
            <source>打印个人权益记录单</source>
            <translation>Print personal rights record</translation>
        </message>
        <message>
            <source>缴费和待遇记录</source>
            <translation>Contributions and benefits</translation>
        </message>
        <message>
            <source>打印参保证明</source>
            <translation>Print proof of insurance</translation>
        </message>
        <message>
            <source>可扫码验证真伪（A4 纸）</source>
            <translation>Verifiable by QR code (A4)</translation>
        </message>
        <message>
            <source>居民养老保险缴费查询</source>
            <translation>Resident pension contributions</translation>
        </message>
        <message>
            <source>今年是否已缴、缴费档次</source>
            <translation>This year's payment and level</translation>
        </message>
        <message>
            <source>社保卡状态查询</source>
            <translation>Card status</translation>
        </message>
        <message>
            <source>是否正常、是否已挂失</source>
            <translation>Working or reported lost</translation>
        </message>
        <message>
            <source>社保卡临时挂失</source>
            <translation>Temporary loss report of the social security card</translation>
        </message>
        <message>
            <source>找到卡后可以解挂</source>
            <translation>Lift the report once you find the card</translation>
        </message>
        <message>
            <source>城乡居民养老保险参保登记</source>
            <translation>Resident pension enrolment</translation>
        </message>
        <message>
            <source>自助申请，工作人员审核</source>
            <translation>Apply here, staff review</translation>
        </message>
        <message>
            <source>取号</source>
            <translation>Take a number</translation>
        </message>
        <message>
            <source>到人工窗口办理，先取排队号</source>
            <translation>For a staffed counter, take a number first</translation>
        </message>
        <message>
            <source>查询办理进度</source>
            <translation>Case progress</translation>
        </message>
        <message>
            <source>扫描回执二维码或输入受理编号</source>
            <translation>Scan the receipt QR code or enter the case number</translation>
        </message>
    </context>
    <context>
        <name>SignaturePad</name>
        <message>
            <source>请本人在此处签名</source>
            <translation>Please sign here</translation>
        </message>
    </context>
    <context>
        <name>Status</name>
        <message>
            <source>中心系统：检测中…</source>
            <translation>Central system: checking…</translation>
        </message>
        <message>
            <source>中心系统：在线</source>
            <translation>Central system: online</translation>
        </message>
        <message>
            <source>中心系统：离线（业务保存在本机，恢复后自动上传）</source>
            <translation>Central system: offline (cases are kept on this terminal and uploaded when it is back)</translation>
        </message>
        <message>
            <source>待上传：{0}</source>
            <translation>Waiting to upload: {0}</translation>
        </message>
        <message>
            <source>　上传失败：{0}</source>
            <translation>  Upload failed: {0}</translation>
        </message>
        <message>
            <source>　退回：{0}</source>
            <translation>  Returned: {0}</translation>
        </message>
        <message>
            <source>　最近同步：{0}</source>
            <translation>  Last sync: {0}</translation>
        </message>
    </context>
    <context>
        <name>SupervisorView</name>
        <message>
            <source>在办业务</source>
            <translation>Open cases</translation>
        </message>
        <message>
            <source>受理编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>事项</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>申请人</source>
            <translation>Applicant</translation>
        </message>
        <message>
            <source>所处环节</source>
            <translation>Stage</translation>
        </message>
        <message>
            <source>受理人</source>
            <translation>Accepted by</translation>
        </message>
        <message>
            <source>受理日</source>
            <translation>Accepted on</translation>
        </message>
        <message>
            <source>承诺办结日</source>
            <translation>Promised by</translation>
        </message>
        <message>
            <source>剩余</source>
            <translation>Remaining</translation>
        </message>
        <message>
            <source>在办业务：{0} 件</source>
            <translation>Open cases: {0}</translation>
        </message>
        <message>
            <source>{0}　{1}</source>
            <translation>{0}  {1}</translation>
        </message>
        <message>
            <source>无时限或日历缺失：{0}</source>
            <translation>No time limit or calendar missing: {0}</translation>
        </message>
        <message>
            <source>没有在办业务</source>
            <translation>No open cases</translation>
        </message>
    </context>
    <context>
        <name>ToolsMenu</name>
        <message>
            <source>工作台(&amp;W)</source>
            <translation>&amp;Workbench</translation>
        </message>
        <message>
            <source>审核业务</source>
            <translation>Review cases</translation>
        </message>
        <message>
            <source>待办审核队列</source>
            <translation>Review queue</translation>
        </message>
        <message>
            <source>督办：时限预警</source>
            <translation>Supervision: deadline warnings</translation>
        </message>
        <message>
            <source>待遇测算</source>
            <translation>Benefit calculators</translation>
        </message>
        <message>
            <source>待上传业务（上传队列）</source>
            <translation>Cases waiting to upload (outbox)</translation>
        </message>
        <message>
            <source>待遇领取资格认证</source>
            <translation>Benefit eligibility certification</translation>
        </message>
        <message>
            <source>设备测试</source>
            <translation>Device test</translation>
        </message>
        <message>
            <source>参数管理</source>
            <translation>Parameters</translation>
        </message>
        <message>
            <source>系统管理</source>
            <translation>Administration</translation>
        </message>
        <message>
            <source>今日工作小结</source>
            <translation>Day summary</translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
    </context>
    <context>
        <name>VisitCaptureScreen</name>
        <message>
            <source>住址：{0}</source>
            <translation>Address: {0}</translation>
        </message>
        <message>
            <source>电话：{0}</source>
            <translation>Phone: {0}</translation>
        </message>
        <message>
            <source>上次认证：{0}</source>
            <translation>Last certification: {0}</translation>
        </message>
        <message>
            <source>{0}（{1}）</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>无记录</source>
            <translation>No record</translation>
        </message>
        <message>
            <source>本期认证期限：{0}</source>
            <translation>Certification due this period: {0}</translation>
        </message>
        <message>
            <source>走访原因：{0}</source>
            <translation>Reason for the visit: {0}</translation>
        </message>
        <message>
            <source>无参考照片</source>
            <translation>No reference photo</translation>
        </message>
        <message>
            <source>拍摄{0}</source>
            <translation>Take {0}</translation>
        </message>
        <message>
            <source>现场照片</source>
            <translation>Live photo</translation>
        </message>
        <message>
            <source>已核实死亡日期</source>
            <translation>Verified date of death</translation>
        </message>
        <message>
            <source>据了解自以下日期起下落不明</source>
            <translation>Reportedly missing since</translation>
        </message>
        <message>
            <source>迁居后的详细地址（转异地协查认证）</source>
            <translation>Full new address (passed on for certification elsewhere)</translation>
        </message>
        <message>
            <source>医院名称、科室、床号</source>
            <translation>Hospital, ward, bed number</translation>
        </message>
        <message>
            <source>迁居地址</source>
            <translation>New address</translation>
        </message>
        <message>
            <source>所住医院</source>
            <translation>Hospital</translation>
        </message>
        <message>
            <source>走访情况（必要时写明向谁了解、何时再访）</source>
            <translation>Visit notes (if needed, whom you asked and when you will come back)</translation>
        </message>
        <message>
            <source>读取GPS</source>
            <translation>Read GPS</translation>
        </message>
        <message>
            <source>走访结果</source>
            <translation>Visit result</translation>
        </message>
        <message>
            <source>结果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>地点</source>
            <translation>Place</translation>
        </message>
        <message>
            <source>备注</source>
            <translation>Notes</translation>
        </message>
        <message>
            <source>重签</source>
            <translation>Sign again</translation>
        </message>
        <message>
            <source>本人无法签字时注明原因（如：卧床，无法书写）</source>
            <translation>If the person cannot sign, give the reason (e.g. bedridden, cannot write)</translation>
        </message>
        <message>
            <source>本人签名</source>
            <translation>Person's signature</translation>
        </message>
        <message>
            <source>第二名工作人员确认…</source>
            <translation>Second staff member confirmation…</translation>
        </message>
        <message>
            <source>尚未确认（须两名工作人员在场，002 §30）</source>
            <translation>Not confirmed yet (two staff members must be present, 002 §30)</translation>
        </message>
        <message>
            <source>保存走访记录</source>
            <translation>Save visit record</translation>
        </message>
        <message>
            <source>返回名单</source>
            <translation>Back to the list</translation>
        </message>
        <message>
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <source>{0} {1} 张</source>
            <translation>{0}: {1}</translation>
        </message>
        <message>
            <source>拍摄失败，请重试</source>
            <translation>Photo failed, please try again</translation>
        </message>
        <message>
            <source>GPS：{0}, {1}</source>
            <translation>GPS: {0}, {1}</translation>
        </message>
        <message>
            <source>第二名工作人员：{0}（{1}）已确认</source>
            <translation>Second staff member: {0} ({1}) confirmed</translation>
        </message>
        <message>
            <source>尚需：</source>
            <translation>Still needed: </translation>
        </message>
        <message>
            <source>记录完整，可以保存。</source>
            <translation>The record is complete and can be saved.</translation>
        </message>
        <message>
            <source>正在加密保存…</source>
            <translation>Saving encrypted…</translation>
        </message>
        <message>
            <source>已保存（证据包 {0}…），联网后自动上传。</source>
            <translation>Saved (evidence package {0}…); it uploads automatically when online.</translation>
        </message>
        <message>
            <source>保存失败，请重试</source>
            <translation>Saving failed, please try again</translation>
        </message>
    </context>
    <context>
        <name>VisitListWidget</name>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>社会保障号码</source>
            <translation>Social security number</translation>
        </message>
        <message>
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <source>认证期限</source>
            <translation>Certification due</translation>
        </message>
        <message>
            <source>走访原因</source>
            <translation>Reason for the visit</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>上门认证走访名单</source>
            <translation>Home-visit certification list</translation>
        </message>
        <message>
            <source>下载走访名单</source>
            <translation>Download the visit list</translation>
        </message>
        <message>
            <source>出发前联网下载：人员、地址、参考照片、上次认证情况</source>
            <translation>Download before leaving: persons, addresses, reference photos, last certifications</translation>
        </message>
        <message>
            <source>上传已采集记录</source>
            <translation>Upload recorded visits</translation>
        </message>
        <message>
            <source>开始走访</source>
            <translation>Start the visit</translation>
        </message>
        <message>
            <source>重新采集被拒记录</source>
            <translation>Redo rejected visits</translation>
        </message>
        <message>
            <source>中心拒收的走访（如证据包校验失败）：清除本机记录后重新采集</source>
            <translation>Visits the centre rejected (e.g. the evidence package failed verification): clear the local record and record again</translation>
        </message>
        <message>
            <source>已采集的走访加密保存在本机，联网后自动上传；中心确认收到后自动从本机清除。</source>
            <translation>Recorded visits are kept encrypted on this laptop and uploaded when online; once the centre confirms receipt they are cleared from the laptop.</translation>
        </message>
        <message>
            <source>（{0}）</source>
            <translation> ({0})</translation>
        </message>
        <message>
            <source>待走访 {0} 人；已采集待上传 {1} 人</source>
            <translation>{0} persons to visit; {1} recorded, waiting to upload</translation>
        </message>
        <message>
            <source>；上传被中心拒绝 {0} 人（请联系管理员）</source>
            <translation>; {0} rejected by the centre (contact the administrator)</translation>
        </message>
        <message>
            <source>请先选中一条“上传被拒”的走访。</source>
            <translation>First select a visit whose upload was rejected.</translation>
        </message>
        <message>
            <source>已清除被拒记录，请重新走访采集。</source>
            <translation>Rejected record cleared; please record the visit again.</translation>
        </message>
        <message>
            <source>正在下载走访名单…</source>
            <translation>Downloading the visit list…</translation>
        </message>
        <message>
            <source>已下载 {0} 人（新增 {1}，更新 {2}，撤销 {3}），可离线走访。</source>
            <translation>{0} persons downloaded ({1} new, {2} updated, {3} withdrawn); visits can be done offline.</translation>
        </message>
        <message>
            <source>操作失败，请重试。</source>
            <translation>Operation failed, please try again.</translation>
        </message>
        <message>
            <source>已开始上传；网络恢复后自动完成，中心确认后本机记录自动清除。</source>
            <translation>Upload started; it completes when the network is back, and local records are cleared once the centre confirms.</translation>
        </message>
    </context>
    <context>
        <name>parent</name>
        <message>
            <source>选择官方参数文件</source>
            <translation>Choose the official parameter file</translation>
        </message>
        <message>
            <source>参数文件 (*.yaml *.yml)</source>
            <translation>Parameter files (*.yaml *.yml)</translation>
        </message>
    </context>
</TS>
