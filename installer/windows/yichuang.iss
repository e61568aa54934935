; 一窗 Yichuang — Windows installer (Inno Setup 6). Compile on Windows after the bundle is built:
;   python installer\build.py bundle                      (→ dist\yichuang\, PyInstaller one-folder)
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\yichuang.iss
;                                                          (→ dist\yichuang-0.1.0-setup.exe)
;
; What it installs and registers — nothing else:
;   {autopf}\Yichuang\            the bundle (yichuang.exe + _internal\: Python, Qt, the CJK font), read-only
;   Start menu: 一窗, 一窗 系统管理 (yichuang admin), 一窗 演示环境 (yichuang demo), uninstall
;   Desktop shortcut 一窗                           (task "desktopicon", on by default)
;   Kiosk autostart for every user: a shortcut in the common Startup folder (task "kiosk", off by default)
;   The uninstall entry in Apps & features (Inno Setup's own; uninstalling removes exactly the above)
; Not touched: the terminal's configuration and data (%LOCALAPPDATA%\Yichuang\yichuang\…), which survive upgrades
; and uninstallation; no services, no drivers, no PATH change, no file associations. The smart-card service
; (SCardSvr) is part of Windows; ID-card and printer drivers come from their vendors.
;
; Fleet roll-out (silent, e.g. from a software-distribution tool, as administrator):
;   yichuang-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/TASKS="desktopicon,kiosk"]
; then, as the counter user (logon script): "C:\Program Files\Yichuang\yichuang.exe" provision \\it\share\agency.toml
; Signed updates (app\fleet\updates.py) run the newer setup.exe the same way: /VERYSILENT /CLOSEAPPLICATIONS.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\..\dist\yichuang"

[Setup]
AppId={{6B0F3C1E-3E55-4B8B-9E0B-2C1D7A4E9A11}
AppName=一窗 Yichuang
AppVersion={#AppVersion}
AppPublisher=Yichuang
DefaultDirName={autopf}\Yichuang
DefaultGroupName=一窗
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=yichuang-{#AppVersion}-setup
SetupIconFile=..\icons\yichuang.ico
UninstallDisplayIcon={app}\yichuang.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
; A newer setup replaces the whole bundle folder: no stale module of an older version can stay behind.
MinVersion=10.0

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"
Name: "kiosk"; Description: "自助终端模式：所有用户登录后自动启动一窗"; Flags: unchecked

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; yichuangw.exe is the same program without a console window (yichuang.exe is for the command line).
Name: "{group}\一窗"; Filename: "{app}\yichuangw.exe"; Parameters: "run"
Name: "{group}\一窗 系统管理"; Filename: "{app}\yichuangw.exe"; Parameters: "admin"
Name: "{group}\一窗 演示环境"; Filename: "{app}\yichuangw.exe"; Parameters: "demo"
Name: "{group}\卸载 一窗"; Filename: "{uninstallexe}"
Name: "{autodesktop}\一窗"; Filename: "{app}\yichuangw.exe"; Parameters: "run"; Tasks: desktopicon
Name: "{commonstartup}\一窗 自助终端"; Filename: "{app}\yichuangw.exe"; Parameters: "run"; Tasks: kiosk

[Run]
Filename: "{app}\yichuangw.exe"; Parameters: "run"; Description: "启动一窗"; Flags: nowait postinstall skipifsilent
