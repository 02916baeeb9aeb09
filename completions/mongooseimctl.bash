_mongooseimctl() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="mongooseimctl"
                ;;
            mongooseimctl,accounts)
                cmd="mongooseimctl__subcmd__accounts"
                ;;
            mongooseimctl,add_rosteritem)
                cmd="mongooseimctl__subcmd__add_rosteritem"
                ;;
            mongooseimctl,backup)
                cmd="mongooseimctl__subcmd__backup"
                ;;
            mongooseimctl,ban_account)
                cmd="mongooseimctl__subcmd__ban_account"
                ;;
            mongooseimctl,batch)
                cmd="mongooseimctl__subcmd__batch"
                ;;
            mongooseimctl,change_password)
                cmd="mongooseimctl__subcmd__change_password"
                ;;
            mongooseimctl,check_account)
                cmd="mongooseimctl__subcmd__check_account"
                ;;
            mongooseimctl,check_password)
                cmd="mongooseimctl__subcmd__check_password"
                ;;
            mongooseimctl,check_password_hash)
                cmd="mongooseimctl__subcmd__check_password_hash"
                ;;
            mongooseimctl,check_store)
                cmd="mongooseimctl__subcmd__check_store"
                ;;
            mongooseimctl,clean_domain_events)
                cmd="mongooseimctl__subcmd__clean_domain_events"
                ;;
            mongooseimctl,close_session)
                cmd="mongooseimctl__subcmd__close_session"
                ;;
            mongooseimctl,completions)
                cmd="mongooseimctl__subcmd__completions"
                ;;
            mongooseimctl,connected_users_info)
                cmd="mongooseimctl__subcmd__connected_users_info"
                ;;
            mongooseimctl,connected_users_vhost)
                cmd="mongooseimctl__subcmd__connected_users_vhost"
                ;;
            mongooseimctl,core)
                cmd="mongooseimctl__subcmd__core"
                ;;
            mongooseimctl,delete_domain)
                cmd="mongooseimctl__subcmd__delete_domain"
                ;;
            mongooseimctl,delete_expired_messages)
                cmd="mongooseimctl__subcmd__delete_expired_messages"
                ;;
            mongooseimctl,delete_old_messages)
                cmd="mongooseimctl__subcmd__delete_old_messages"
                ;;
            mongooseimctl,delete_old_users)
                cmd="mongooseimctl__subcmd__delete_old_users"
                ;;
            mongooseimctl,delete_old_users_vhost)
                cmd="mongooseimctl__subcmd__delete_old_users_vhost"
                ;;
            mongooseimctl,delete_rosteritem)
                cmd="mongooseimctl__subcmd__delete_rosteritem"
                ;;
            mongooseimctl,disable_domain)
                cmd="mongooseimctl__subcmd__disable_domain"
                ;;
            mongooseimctl,domain)
                cmd="mongooseimctl__subcmd__domain"
                ;;
            mongooseimctl,dump)
                cmd="mongooseimctl__subcmd__dump"
                ;;
            mongooseimctl,dump_table)
                cmd="mongooseimctl__subcmd__dump_table"
                ;;
            mongooseimctl,enable_domain)
                cmd="mongooseimctl__subcmd__enable_domain"
                ;;
            mongooseimctl,ensure_account)
                cmd="mongooseimctl__subcmd__ensure_account"
                ;;
            mongooseimctl,ensure_rosteritem)
                cmd="mongooseimctl__subcmd__ensure_rosteritem"
                ;;
            mongooseimctl,export_xep0227)
                cmd="mongooseimctl__subcmd__export_xep0227"
                ;;
            mongooseimctl,gdpr)
                cmd="mongooseimctl__subcmd__gdpr"
                ;;
            mongooseimctl,get_cookie)
                cmd="mongooseimctl__subcmd__get_cookie"
                ;;
            mongooseimctl,get_loglevel)
                cmd="mongooseimctl__subcmd__get_loglevel"
                ;;
            mongooseimctl,get_roster)
                cmd="mongooseimctl__subcmd__get_roster"
                ;;
            mongooseimctl,get_vcard)
                cmd="mongooseimctl__subcmd__get_vcard"
                ;;
            mongooseimctl,get_vcard2)
                cmd="mongooseimctl__subcmd__get_vcard2"
                ;;
            mongooseimctl,get_vcard2_multi)
                cmd="mongooseimctl__subcmd__get_vcard2_multi"
                ;;
            mongooseimctl,help)
                cmd="mongooseimctl__subcmd__help"
                ;;
            mongooseimctl,http_upload)
                cmd="mongooseimctl__subcmd__http_upload"
                ;;
            mongooseimctl,import_users)
                cmd="mongooseimctl__subcmd__import_users"
                ;;
            mongooseimctl,import_xep0227)
                cmd="mongooseimctl__subcmd__import_xep0227"
                ;;
            mongooseimctl,incoming_s2s_number)
                cmd="mongooseimctl__subcmd__incoming_s2s_number"
                ;;
            mongooseimctl,init_schema)
                cmd="mongooseimctl__subcmd__init_schema"
                ;;
            mongooseimctl,insert_domain)
                cmd="mongooseimctl__subcmd__insert_domain"
                ;;
            mongooseimctl,install_fallback)
                cmd="mongooseimctl__subcmd__install_fallback"
                ;;
            mongooseimctl,join_cluster)
                cmd="mongooseimctl__subcmd__join_cluster"
                ;;
            mongooseimctl,kick_session)
                cmd="mongooseimctl__subcmd__kick_session"
                ;;
            mongooseimctl,last)
                cmd="mongooseimctl__subcmd__last"
                ;;
            mongooseimctl,leave_cluster)
                cmd="mongooseimctl__subcmd__leave_cluster"
                ;;
            mongooseimctl,list_deliveries)
                cmd="mongooseimctl__subcmd__list_deliveries"
                ;;
            mongooseimctl,list_offline_messages)
                cmd="mongooseimctl__subcmd__list_offline_messages"
                ;;
            mongooseimctl,load)
                cmd="mongooseimctl__subcmd__load"
                ;;
            mongooseimctl,load_config)
                cmd="mongooseimctl__subcmd__load_config"
                ;;
            mongooseimctl,mnesia_change_nodename)
                cmd="mongooseimctl__subcmd__mnesia_change_nodename"
                ;;
            mongooseimctl,node)
                cmd="mongooseimctl__subcmd__node"
                ;;
            mongooseimctl,num_active_users)
                cmd="mongooseimctl__subcmd__num_active_users"
                ;;
            mongooseimctl,num_resources)
                cmd="mongooseimctl__subcmd__num_resources"
                ;;
            mongooseimctl,open_session)
                cmd="mongooseimctl__subcmd__open_session"
                ;;
            mongooseimctl,outgoing_s2s_number)
                cmd="mongooseimctl__subcmd__outgoing_s2s_number"
                ;;
            mongooseimctl,private)
                cmd="mongooseimctl__subcmd__private"
                ;;
            mongooseimctl,private_get)
                cmd="mongooseimctl__subcmd__private_get"
                ;;
            mongooseimctl,private_set)
                cmd="mongooseimctl__subcmd__private_set"
                ;;
            mongooseimctl,process_rosteritems)
                cmd="mongooseimctl__subcmd__process_rosteritems"
                ;;
            mongooseimctl,push_roster)
                cmd="mongooseimctl__subcmd__push_roster"
                ;;
            mongooseimctl,push_roster_all)
                cmd="mongooseimctl__subcmd__push_roster_all"
                ;;
            mongooseimctl,push_roster_alltoall)
                cmd="mongooseimctl__subcmd__push_roster_alltoall"
                ;;
            mongooseimctl,register)
                cmd="mongooseimctl__subcmd__register"
                ;;
            mongooseimctl,register_identified)
                cmd="mongooseimctl__subcmd__register_identified"
                ;;
            mongooseimctl,registered_users)
                cmd="mongooseimctl__subcmd__registered_users"
                ;;
            mongooseimctl,remove_from_cluster)
                cmd="mongooseimctl__subcmd__remove_from_cluster"
                ;;
            mongooseimctl,remove_node)
                cmd="mongooseimctl__subcmd__remove_node"
                ;;
            mongooseimctl,resource_num)
                cmd="mongooseimctl__subcmd__resource_num"
                ;;
            mongooseimctl,restart)
                cmd="mongooseimctl__subcmd__restart"
                ;;
            mongooseimctl,restore)
                cmd="mongooseimctl__subcmd__restore"
                ;;
            mongooseimctl,retrieve_personal_data)
                cmd="mongooseimctl__subcmd__retrieve_personal_data"
                ;;
            mongooseimctl,revoke_token)
                cmd="mongooseimctl__subcmd__revoke_token"
                ;;
            mongooseimctl,roster)
                cmd="mongooseimctl__subcmd__roster"
                ;;
            mongooseimctl,send_message_chat)
                cmd="mongooseimctl__subcmd__send_message_chat"
                ;;
            mongooseimctl,send_message_headline)
                cmd="mongooseimctl__subcmd__send_message_headline"
                ;;
            mongooseimctl,send_stanza_c2s)
                cmd="mongooseimctl__subcmd__send_stanza_c2s"
                ;;
            mongooseimctl,send_system_metrics)
                cmd="mongooseimctl__subcmd__send_system_metrics"
                ;;
            mongooseimctl,sessions)
                cmd="mongooseimctl__subcmd__sessions"
                ;;
            mongooseimctl,set_last)
                cmd="mongooseimctl__subcmd__set_last"
                ;;
            mongooseimctl,set_master)
                cmd="mongooseimctl__subcmd__set_master"
                ;;
            mongooseimctl,set_presence)
                cmd="mongooseimctl__subcmd__set_presence"
                ;;
            mongooseimctl,set_vcard)
                cmd="mongooseimctl__subcmd__set_vcard"
                ;;
            mongooseimctl,set_vcard2)
                cmd="mongooseimctl__subcmd__set_vcard2"
                ;;
            mongooseimctl,set_vcard2_multi)
                cmd="mongooseimctl__subcmd__set_vcard2_multi"
                ;;
            mongooseimctl,stanza)
                cmd="mongooseimctl__subcmd__stanza"
                ;;
            mongooseimctl,stats)
                cmd="mongooseimctl__subcmd__stats"
                ;;
            mongooseimctl,stats_host)
                cmd="mongooseimctl__subcmd__stats_host"
                ;;
            mongooseimctl,status)
                cmd="mongooseimctl__subcmd__status"
                ;;
            mongooseimctl,status_list)
                cmd="mongooseimctl__subcmd__status_list"
                ;;
            mongooseimctl,status_list_host)
                cmd="mongooseimctl__subcmd__status_list_host"
                ;;
            mongooseimctl,status_num)
                cmd="mongooseimctl__subcmd__status_num"
                ;;
            mongooseimctl,status_num_host)
                cmd="mongooseimctl__subcmd__status_num_host"
                ;;
            mongooseimctl,system_metrics_report)
                cmd="mongooseimctl__subcmd__system_metrics_report"
                ;;
            mongooseimctl,unregister)
                cmd="mongooseimctl__subcmd__unregister"
                ;;
            mongooseimctl,upload)
                cmd="mongooseimctl__subcmd__upload"
                ;;
            mongooseimctl,user_resources)
                cmd="mongooseimctl__subcmd__user_resources"
                ;;
            mongooseimctl,user_sessions_info)
                cmd="mongooseimctl__subcmd__user_sessions_info"
                ;;
            mongooseimctl,vcard)
                cmd="mongooseimctl__subcmd__vcard"
                ;;
            mongooseimctl__subcmd__accounts,ban_account)
                cmd="mongooseimctl__subcmd__accounts__subcmd__ban_account"
                ;;
            mongooseimctl__subcmd__accounts,change_password)
                cmd="mongooseimctl__subcmd__accounts__subcmd__change_password"
                ;;
            mongooseimctl__subcmd__accounts,check_account)
                cmd="mongooseimctl__subcmd__accounts__subcmd__check_account"
                ;;
            mongooseimctl__subcmd__accounts,check_password)
                cmd="mongooseimctl__subcmd__accounts__subcmd__check_password"
                ;;
            mongooseimctl__subcmd__accounts,check_password_hash)
                cmd="mongooseimctl__subcmd__accounts__subcmd__check_password_hash"
                ;;
            mongooseimctl__subcmd__accounts,delete_old_users)
                cmd="mongooseimctl__subcmd__accounts__subcmd__delete_old_users"
                ;;
            mongooseimctl__subcmd__accounts,delete_old_users_vhost)
                cmd="mongooseimctl__subcmd__accounts__subcmd__delete_old_users_vhost"
                ;;
            mongooseimctl__subcmd__accounts,ensure_account)
                cmd="mongooseimctl__subcmd__accounts__subcmd__ensure_account"
                ;;
            mongooseimctl__subcmd__accounts,num_active_users)
                cmd="mongooseimctl__subcmd__accounts__subcmd__num_active_users"
                ;;
            mongooseimctl__subcmd__core,backup)
                cmd="mongooseimctl__subcmd__core__subcmd__backup"
                ;;
            mongooseimctl__subcmd__core,batch)
                cmd="mongooseimctl__subcmd__core__subcmd__batch"
                ;;
            mongooseimctl__subcmd__core,check_store)
                cmd="mongooseimctl__subcmd__core__subcmd__check_store"
                ;;
            mongooseimctl__subcmd__core,delete_expired_messages)
                cmd="mongooseimctl__subcmd__core__subcmd__delete_expired_messages"
                ;;
            mongooseimctl__subcmd__core,delete_old_messages)
                cmd="mongooseimctl__subcmd__core__subcmd__delete_old_messages"
                ;;
            mongooseimctl__subcmd__core,dump)
                cmd="mongooseimctl__subcmd__core__subcmd__dump"
                ;;
            mongooseimctl__subcmd__core,dump_table)
                cmd="mongooseimctl__subcmd__core__subcmd__dump_table"
                ;;
            mongooseimctl__subcmd__core,export_xep0227)
                cmd="mongooseimctl__subcmd__core__subcmd__export_xep0227"
                ;;
            mongooseimctl__subcmd__core,get_loglevel)
                cmd="mongooseimctl__subcmd__core__subcmd__get_loglevel"
                ;;
            mongooseimctl__subcmd__core,import_users)
                cmd="mongooseimctl__subcmd__core__subcmd__import_users"
                ;;
            mongooseimctl__subcmd__core,import_xep0227)
                cmd="mongooseimctl__subcmd__core__subcmd__import_xep0227"
                ;;
            mongooseimctl__subcmd__core,incoming_s2s_number)
                cmd="mongooseimctl__subcmd__core__subcmd__incoming_s2s_number"
                ;;
            mongooseimctl__subcmd__core,init_schema)
                cmd="mongooseimctl__subcmd__core__subcmd__init_schema"
                ;;
            mongooseimctl__subcmd__core,install_fallback)
                cmd="mongooseimctl__subcmd__core__subcmd__install_fallback"
                ;;
            mongooseimctl__subcmd__core,join_cluster)
                cmd="mongooseimctl__subcmd__core__subcmd__join_cluster"
                ;;
            mongooseimctl__subcmd__core,leave_cluster)
                cmd="mongooseimctl__subcmd__core__subcmd__leave_cluster"
                ;;
            mongooseimctl__subcmd__core,list_offline_messages)
                cmd="mongooseimctl__subcmd__core__subcmd__list_offline_messages"
                ;;
            mongooseimctl__subcmd__core,load)
                cmd="mongooseimctl__subcmd__core__subcmd__load"
                ;;
            mongooseimctl__subcmd__core,mnesia_change_nodename)
                cmd="mongooseimctl__subcmd__core__subcmd__mnesia_change_nodename"
                ;;
            mongooseimctl__subcmd__core,outgoing_s2s_number)
                cmd="mongooseimctl__subcmd__core__subcmd__outgoing_s2s_number"
                ;;
            mongooseimctl__subcmd__core,register)
                cmd="mongooseimctl__subcmd__core__subcmd__register"
                ;;
            mongooseimctl__subcmd__core,register_identified)
                cmd="mongooseimctl__subcmd__core__subcmd__register_identified"
                ;;
            mongooseimctl__subcmd__core,registered_users)
                cmd="mongooseimctl__subcmd__core__subcmd__registered_users"
                ;;
            mongooseimctl__subcmd__core,remove_from_cluster)
                cmd="mongooseimctl__subcmd__core__subcmd__remove_from_cluster"
                ;;
            mongooseimctl__subcmd__core,restart)
                cmd="mongooseimctl__subcmd__core__subcmd__restart"
                ;;
            mongooseimctl__subcmd__core,restore)
                cmd="mongooseimctl__subcmd__core__subcmd__restore"
                ;;
            mongooseimctl__subcmd__core,revoke_token)
                cmd="mongooseimctl__subcmd__core__subcmd__revoke_token"
                ;;
            mongooseimctl__subcmd__core,send_system_metrics)
                cmd="mongooseimctl__subcmd__core__subcmd__send_system_metrics"
                ;;
            mongooseimctl__subcmd__core,set_master)
                cmd="mongooseimctl__subcmd__core__subcmd__set_master"
                ;;
            mongooseimctl__subcmd__core,status)
                cmd="mongooseimctl__subcmd__core__subcmd__status"
                ;;
            mongooseimctl__subcmd__core,system_metrics_report)
                cmd="mongooseimctl__subcmd__core__subcmd__system_metrics_report"
                ;;
            mongooseimctl__subcmd__core,unregister)
                cmd="mongooseimctl__subcmd__core__subcmd__unregister"
                ;;
            mongooseimctl__subcmd__core,user_resources)
                cmd="mongooseimctl__subcmd__core__subcmd__user_resources"
                ;;
            mongooseimctl__subcmd__domain,clean_domain_events)
                cmd="mongooseimctl__subcmd__domain__subcmd__clean_domain_events"
                ;;
            mongooseimctl__subcmd__domain,delete_domain)
                cmd="mongooseimctl__subcmd__domain__subcmd__delete_domain"
                ;;
            mongooseimctl__subcmd__domain,disable_domain)
                cmd="mongooseimctl__subcmd__domain__subcmd__disable_domain"
                ;;
            mongooseimctl__subcmd__domain,enable_domain)
                cmd="mongooseimctl__subcmd__domain__subcmd__enable_domain"
                ;;
            mongooseimctl__subcmd__domain,insert_domain)
                cmd="mongooseimctl__subcmd__domain__subcmd__insert_domain"
                ;;
            mongooseimctl__subcmd__gdpr,retrieve_personal_data)
                cmd="mongooseimctl__subcmd__gdpr__subcmd__retrieve_personal_data"
                ;;
            mongooseimctl__subcmd__last,set_last)
                cmd="mongooseimctl__subcmd__last__subcmd__set_last"
                ;;
            mongooseimctl__subcmd__node,get_cookie)
                cmd="mongooseimctl__subcmd__node__subcmd__get_cookie"
                ;;
            mongooseimctl__subcmd__node,load_config)
                cmd="mongooseimctl__subcmd__node__subcmd__load_config"
                ;;
            mongooseimctl__subcmd__node,remove_node)
                cmd="mongooseimctl__subcmd__node__subcmd__remove_node"
                ;;
            mongooseimctl__subcmd__private,private_get)
                cmd="mongooseimctl__subcmd__private__subcmd__private_get"
                ;;
            mongooseimctl__subcmd__private,private_set)
                cmd="mongooseimctl__subcmd__private__subcmd__private_set"
                ;;
            mongooseimctl__subcmd__roster,add_rosteritem)
                cmd="mongooseimctl__subcmd__roster__subcmd__add_rosteritem"
                ;;
            mongooseimctl__subcmd__roster,delete_rosteritem)
                cmd="mongooseimctl__subcmd__roster__subcmd__delete_rosteritem"
                ;;
            mongooseimctl__subcmd__roster,ensure_rosteritem)
                cmd="mongooseimctl__subcmd__roster__subcmd__ensure_rosteritem"
                ;;
            mongooseimctl__subcmd__roster,get_roster)
                cmd="mongooseimctl__subcmd__roster__subcmd__get_roster"
                ;;
            mongooseimctl__subcmd__roster,process_rosteritems)
                cmd="mongooseimctl__subcmd__roster__subcmd__process_rosteritems"
                ;;
            mongooseimctl__subcmd__roster,push_roster)
                cmd="mongooseimctl__subcmd__roster__subcmd__push_roster"
                ;;
            mongooseimctl__subcmd__roster,push_roster_all)
                cmd="mongooseimctl__subcmd__roster__subcmd__push_roster_all"
                ;;
            mongooseimctl__subcmd__roster,push_roster_alltoall)
                cmd="mongooseimctl__subcmd__roster__subcmd__push_roster_alltoall"
                ;;
            mongooseimctl__subcmd__sessions,close_session)
                cmd="mongooseimctl__subcmd__sessions__subcmd__close_session"
                ;;
            mongooseimctl__subcmd__sessions,connected_users_info)
                cmd="mongooseimctl__subcmd__sessions__subcmd__connected_users_info"
                ;;
            mongooseimctl__subcmd__sessions,connected_users_vhost)
                cmd="mongooseimctl__subcmd__sessions__subcmd__connected_users_vhost"
                ;;
            mongooseimctl__subcmd__sessions,kick_session)
                cmd="mongooseimctl__subcmd__sessions__subcmd__kick_session"
                ;;
            mongooseimctl__subcmd__sessions,list_deliveries)
                cmd="mongooseimctl__subcmd__sessions__subcmd__list_deliveries"
                ;;
            mongooseimctl__subcmd__sessions,num_resources)
                cmd="mongooseimctl__subcmd__sessions__subcmd__num_resources"
                ;;
            mongooseimctl__subcmd__sessions,open_session)
                cmd="mongooseimctl__subcmd__sessions__subcmd__open_session"
                ;;
            mongooseimctl__subcmd__sessions,resource_num)
                cmd="mongooseimctl__subcmd__sessions__subcmd__resource_num"
                ;;
            mongooseimctl__subcmd__sessions,set_presence)
                cmd="mongooseimctl__subcmd__sessions__subcmd__set_presence"
                ;;
            mongooseimctl__subcmd__sessions,status_list)
                cmd="mongooseimctl__subcmd__sessions__subcmd__status_list"
                ;;
            mongooseimctl__subcmd__sessions,status_list_host)
                cmd="mongooseimctl__subcmd__sessions__subcmd__status_list_host"
                ;;
            mongooseimctl__subcmd__sessions,status_num)
                cmd="mongooseimctl__subcmd__sessions__subcmd__status_num"
                ;;
            mongooseimctl__subcmd__sessions,status_num_host)
                cmd="mongooseimctl__subcmd__sessions__subcmd__status_num_host"
                ;;
            mongooseimctl__subcmd__sessions,user_sessions_info)
                cmd="mongooseimctl__subcmd__sessions__subcmd__user_sessions_info"
                ;;
            mongooseimctl__subcmd__stanza,send_message_chat)
                cmd="mongooseimctl__subcmd__stanza__subcmd__send_message_chat"
                ;;
            mongooseimctl__subcmd__stanza,send_message_headline)
                cmd="mongooseimctl__subcmd__stanza__subcmd__send_message_headline"
                ;;
            mongooseimctl__subcmd__stanza,send_stanza_c2s)
                cmd="mongooseimctl__subcmd__stanza__subcmd__send_stanza_c2s"
                ;;
            mongooseimctl__subcmd__stats,stats)
                cmd="mongooseimctl__subcmd__stats__subcmd__stats"
                ;;
            mongooseimctl__subcmd__stats,stats_host)
                cmd="mongooseimctl__subcmd__stats__subcmd__stats_host"
                ;;
            mongooseimctl__subcmd__upload,http_upload)
                cmd="mongooseimctl__subcmd__upload__subcmd__http_upload"
                ;;
            mongooseimctl__subcmd__vcard,get_vcard)
                cmd="mongooseimctl__subcmd__vcard__subcmd__get_vcard"
                ;;
            mongooseimctl__subcmd__vcard,get_vcard2)
                cmd="mongooseimctl__subcmd__vcard__subcmd__get_vcard2"
                ;;
            mongooseimctl__subcmd__vcard,get_vcard2_multi)
                cmd="mongooseimctl__subcmd__vcard__subcmd__get_vcard2_multi"
                ;;
            mongooseimctl__subcmd__vcard,set_vcard)
                cmd="mongooseimctl__subcmd__vcard__subcmd__set_vcard"
                ;;
            mongooseimctl__subcmd__vcard,set_vcard2)
                cmd="mongooseimctl__subcmd__vcard__subcmd__set_vcard2"
                ;;
            mongooseimctl__subcmd__vcard,set_vcard2_multi)
                cmd="mongooseimctl__subcmd__vcard__subcmd__set_vcard2_multi"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        mongooseimctl)
            opts="-c -o -v -y -q -h -V --config --store --output --verbose --legacy-integers --no-headers --dry-run --yes --progress --quiet --help --version core node accounts sessions vcard roster last private stanza stats gdpr upload domain help completions register register_identified unregister registered_users import_users delete_expired_messages delete_old_messages export_xep0227 import_xep0227 list_offline_messages get_loglevel status restart user_resources incoming_s2s_number outgoing_s2s_number revoke_token backup restore dump dump_table load install_fallback set_master mnesia_change_nodename join_cluster leave_cluster remove_from_cluster init_schema check_store system_metrics_report send_system_metrics batch get_cookie remove_node load_config change_password check_password_hash delete_old_users delete_old_users_vhost ban_account num_active_users check_account check_password ensure_account num_resources resource_num kick_session status_num_host status_num status_list_host status_list connected_users_info connected_users_vhost user_sessions_info set_presence open_session close_session list_deliveries get_vcard get_vcard2 get_vcard2_multi set_vcard set_vcard2 set_vcard2_multi add_rosteritem delete_rosteritem process_rosteritems get_roster push_roster push_roster_all push_roster_alltoall ensure_rosteritem set_last private_get private_set send_message_chat send_message_headline send_stanza_c2s stats_host retrieve_personal_data http_upload insert_domain delete_domain enable_domain disable_domain clean_domain_events"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -c)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --store)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text table json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text table json" -- "${cur}"))
                    return 0
                    ;;
                --progress)
                    COMPREPLY=($(compgen -W "auto never always" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts)
            opts="-h --help change_password check_password_hash delete_old_users delete_old_users_vhost ban_account num_active_users check_account check_password ensure_account"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__ban_account)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__change_password)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__check_account)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__check_password)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__check_password_hash)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__delete_old_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__delete_old_users_vhost)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__ensure_account)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__accounts__subcmd__num_active_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__add_rosteritem)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__backup)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__ban_account)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__batch)
            opts="-h --continue --dry-run --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__change_password)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__check_account)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__check_password)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__check_password_hash)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__check_store)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__clean_domain_events)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__close_session)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__completions)
            opts="-h --help bash zsh fish elvish powershell"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__connected_users_info)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__connected_users_vhost)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core)
            opts="-h --help register register_identified unregister registered_users import_users delete_expired_messages delete_old_messages export_xep0227 import_xep0227 list_offline_messages get_loglevel status restart user_resources incoming_s2s_number outgoing_s2s_number revoke_token backup restore dump dump_table load install_fallback set_master mnesia_change_nodename join_cluster leave_cluster remove_from_cluster init_schema check_store system_metrics_report send_system_metrics batch"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__backup)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__batch)
            opts="-h --continue --dry-run --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__check_store)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__delete_expired_messages)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__delete_old_messages)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__dump)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__dump_table)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__export_xep0227)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__get_loglevel)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__import_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__import_xep0227)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__incoming_s2s_number)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__init_schema)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__install_fallback)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__join_cluster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__leave_cluster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__list_offline_messages)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__load)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__mnesia_change_nodename)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__outgoing_s2s_number)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__register)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__register_identified)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__registered_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__remove_from_cluster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__restart)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__restore)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__revoke_token)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__send_system_metrics)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__set_master)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__status)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__system_metrics_report)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__unregister)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__core__subcmd__user_resources)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__delete_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__delete_expired_messages)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__delete_old_messages)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__delete_old_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__delete_old_users_vhost)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__delete_rosteritem)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__disable_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__domain)
            opts="-h --help insert_domain delete_domain enable_domain disable_domain clean_domain_events"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__domain__subcmd__clean_domain_events)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__domain__subcmd__delete_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__domain__subcmd__disable_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__domain__subcmd__enable_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__domain__subcmd__insert_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__dump)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__dump_table)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__enable_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__ensure_account)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__ensure_rosteritem)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__export_xep0227)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__gdpr)
            opts="-h --help retrieve_personal_data"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__gdpr__subcmd__retrieve_personal_data)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__get_cookie)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__get_loglevel)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__get_roster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__get_vcard)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__get_vcard2)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__get_vcard2_multi)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__help)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__http_upload)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__import_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__import_xep0227)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__incoming_s2s_number)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__init_schema)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__insert_domain)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__install_fallback)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__join_cluster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__kick_session)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__last)
            opts="-h --help set_last"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__last__subcmd__set_last)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__leave_cluster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__list_deliveries)
            opts="-h --resource --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__list_offline_messages)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__load)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__load_config)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__mnesia_change_nodename)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__node)
            opts="-h --help get_cookie remove_node load_config"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__node__subcmd__get_cookie)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__node__subcmd__load_config)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__node__subcmd__remove_node)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__num_active_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__num_resources)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__open_session)
            opts="-h --priority --ip --port --connection --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --priority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connection)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__outgoing_s2s_number)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__private)
            opts="-h --help private_get private_set"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__private__subcmd__private_get)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__private__subcmd__private_set)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__private_get)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__private_set)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__process_rosteritems)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__push_roster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__push_roster_all)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__push_roster_alltoall)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__register)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__register_identified)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__registered_users)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__remove_from_cluster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__remove_node)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__resource_num)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__restart)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__restore)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__retrieve_personal_data)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__revoke_token)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster)
            opts="-h --help add_rosteritem delete_rosteritem process_rosteritems get_roster push_roster push_roster_all push_roster_alltoall ensure_rosteritem"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__add_rosteritem)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__delete_rosteritem)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__ensure_rosteritem)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__get_roster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__process_rosteritems)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__push_roster)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__push_roster_all)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__roster__subcmd__push_roster_alltoall)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__send_message_chat)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__send_message_headline)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__send_stanza_c2s)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__send_system_metrics)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions)
            opts="-h --help num_resources resource_num kick_session status_num_host status_num status_list_host status_list connected_users_info connected_users_vhost user_sessions_info set_presence open_session close_session list_deliveries"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__close_session)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__connected_users_info)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__connected_users_vhost)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__kick_session)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__list_deliveries)
            opts="-h --resource --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__num_resources)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__open_session)
            opts="-h --priority --ip --port --connection --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --priority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connection)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__resource_num)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__set_presence)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__status_list)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__status_list_host)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__status_num)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__status_num_host)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__sessions__subcmd__user_sessions_info)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__set_last)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__set_master)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__set_presence)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__set_vcard)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__set_vcard2)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__set_vcard2_multi)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stanza)
            opts="-h --help send_message_chat send_message_headline send_stanza_c2s"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stanza__subcmd__send_message_chat)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stanza__subcmd__send_message_headline)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stanza__subcmd__send_stanza_c2s)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stats)
            opts="-h --help stats stats_host"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stats__subcmd__stats)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stats__subcmd__stats_host)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__stats_host)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__status)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__status_list)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__status_list_host)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__status_num)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__status_num_host)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__system_metrics_report)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__unregister)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__upload)
            opts="-h --help http_upload"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__upload__subcmd__http_upload)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__user_resources)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__user_sessions_info)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard)
            opts="-h --help get_vcard get_vcard2 get_vcard2_multi set_vcard set_vcard2 set_vcard2_multi"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard__subcmd__get_vcard)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard__subcmd__get_vcard2)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard__subcmd__get_vcard2_multi)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard__subcmd__set_vcard)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard__subcmd__set_vcard2)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        mongooseimctl__subcmd__vcard__subcmd__set_vcard2_multi)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _mongooseimctl -o nosort -o bashdefault -o default mongooseimctl
else
    complete -F _mongooseimctl -o bashdefault -o default mongooseimctl
fi
