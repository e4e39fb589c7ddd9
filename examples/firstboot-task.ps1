# Registers the first-boot EULA gate on a Windows appliance (Husky IVO): a
# scheduled task at logon of the kiosk user that runs the gate before the
# appliance's setup. Run once at provisioning, as administrator, after
# setting the installation id:
#   eulagate.exe gate --provision --installer <serial> --product husky-ivo-350t --timeout 1s
$action = New-ScheduledTaskAction -Execute "powershell.exe" `
    -Argument '-NoProfile -ExecutionPolicy Bypass -File "C:\Program Files\eulagate\preinstall.ps1" -Product husky-ivo-350t -Install { & "C:\Program Files\Milestone\Setup\setup.exe" /firstboot }'
$trigger = New-ScheduledTaskTrigger -AtLogOn
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit (New-TimeSpan -Days 1)
Register-ScheduledTask -TaskName "eulagate first boot" -Action $action -Trigger $trigger -Settings $settings -RunLevel Highest
